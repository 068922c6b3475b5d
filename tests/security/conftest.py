"""The workspace every hostile-input test runs in (harness.workspace) as a fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.security.harness import Workspace, workspace


@pytest.fixture
def ws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Workspace]:
    with workspace(tmp_path, monkeypatch, capsys) as space:
        yield space
