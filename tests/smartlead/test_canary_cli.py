"""Every command that talks to Smartlead keeps the key out of its output and its files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartlead_sync.cli import cli
from smartlead_sync.emulator import Emulator, EmulatorConfig
from tests.conftest import CANARY_KEY, REPO_ROOT, RunCli

# Commands decorated with `connection_options`, found at run time so new ones are covered too.
CONNECTED = sorted(
    name
    for name, command in cli.commands.items()
    if any(p.name == "api_key" for p in command.params)
)
EXTRA_ARGS = {"apply": ["--auto-approve"]}


@pytest.fixture
def rejecting_server() -> Iterator[str]:
    """A loopback emulator that knows only its own key, so the canary gets a 401."""
    emulator = Emulator(EmulatorConfig())
    server = emulator.serve()
    try:
        yield server.base_url
    finally:
        emulator.close()


def _leaks(root: Path) -> list[str]:
    return [
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and CANARY_KEY.encode() in p.read_bytes()
    ]


@pytest.mark.slow
@pytest.mark.parametrize("command", CONNECTED)
@pytest.mark.parametrize("via", ["env", "flag"])
def test_rejected_canary_key_is_never_shown_or_written(
    command: str, via: str, run_cli: RunCli, rejecting_server: str, tmp_path: Path
) -> None:
    shutil.copytree(REPO_ROOT / "campaigns", tmp_path / "campaigns")
    args = [command, *EXTRA_ARGS.get(command, []), "--base-url", rejecting_server]
    args += ["--log-http", "http.jsonl"]
    env = {"SMARTLEAD_API_KEY": CANARY_KEY} if via == "env" else {}
    if via == "flag":
        args += ["--api-key", CANARY_KEY]
    result = run_cli(*args, cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "401" in result.stderr or "API key" in result.stderr
    assert CANARY_KEY not in result.stdout + result.stderr
    assert _leaks(tmp_path) == []
