from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _no_ambient_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that run inside GitHub Actions must not see (or post to) the real run."""
    for name in list(os.environ):
        if name.startswith("GITHUB_"):
            monkeypatch.delenv(name)
