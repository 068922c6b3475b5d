"""The pre-commit hook a campaigns repository can use: `smartlead-sync validate`."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from tests.cli_process import REPO_ROOT
from tests.conftest import RunCli
from tests.gitops.conftest import RunMain


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


def test_hook_entry_validates_the_example_campaigns(run_cli: RunCli) -> None:
    hook = _hook()
    program, *arguments = shlex.split(hook["entry"])
    assert program == "smartlead-sync"
    proc = run_cli(*arguments, *hook["args"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 error(s)" in proc.stdout


def test_hook_entry_fails_on_a_broken_campaign(run_main: RunMain, tmp_path: Path) -> None:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "broken.yaml").write_text("name: X\nstatus: shouting\n")
    hook = _hook()
    proc = run_main(*shlex.split(hook["entry"])[1:], *hook["args"], cwd=tmp_path)
    assert proc.returncode == 1
    assert "broken.yaml:2" in proc.stdout + proc.stderr
