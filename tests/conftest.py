from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CANARY_KEY = "sk-CANARY-1234"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's real Smartlead settings."""
    for name in ("SMARTLEAD_API_KEY", "SMARTLEAD_BASE_URL", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


RunCli = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def run_cli() -> RunCli:
    """Run `smartlead-sync` as a user would: a real process, real exit code, real stderr."""

    def run(
        *args: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        input: str | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        full_env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("SMARTLEAD_API_KEY", "SMARTLEAD_BASE_URL")
        }
        full_env["PYTHONPATH"] = str(REPO_ROOT)
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "smartlead_sync", *args],
            cwd=cwd or REPO_ROOT,
            env=full_env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run
