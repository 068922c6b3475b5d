from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from smartlead_sync.cli import main


@pytest.fixture(autouse=True)
def _no_ambient_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that run inside GitHub Actions must not see (or post to) the real run."""
    for name in list(os.environ):
        if name.startswith("GITHUB_"):
            monkeypatch.delenv(name)


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


RunMain = Callable[..., Ran]


@pytest.fixture
def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> RunMain:
    """`smartlead-sync` in this process, through the same `main` (errors to exit codes), with
    `env` and `cwd` applied: a fast stand-in for `run_cli` where the process adds nothing."""

    def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Ran:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run
