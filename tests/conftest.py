from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's real Smartlead settings."""
    for name in ("SMARTLEAD_API_KEY", "SMARTLEAD_BASE_URL", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
