from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from smartlead_sync.cli import cli
from tests.conftest import REPO_ROOT, RunCli


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Campaign-as-code" in result.output


def test_unknown_flag_is_a_usage_error_with_exit_1_and_no_traceback(run_cli: RunCli) -> None:
    proc = run_cli("--no-such-flag", fresh=True)  # `python -m smartlead_sync` itself
    assert proc.returncode == 1
    assert "No such option" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    test_command = blocks[1].split("&&")[-1].strip()
    assert test_command == "python -m pytest"
    assert test_command in ci.splitlines()


def _collected(*args: str) -> list[str]:
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", *args]
    proc = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return [line for line in proc.stdout.splitlines() if "::" in line]


def test_default_run_leaves_out_the_benchmarks_and_ci_runs_them_in_their_own_step() -> None:
    everything = _collected()  # what the README test command collects
    assert everything and not [t for t in everything if t.startswith("tests/benchmarks/")]
    assert _collected("tests/benchmarks", "-k", "pacing") == [
        "tests/benchmarks/test_client_pacing.py::"
        "test_mixed_calls_pace_at_the_rate_limit_floor_without_429"
    ]
    ci = (REPO_ROOT / ".ci" / "run").read_text().splitlines()
    (step,) = [line for line in ci if "pytest tests/benchmarks" in line]
    assert step.startswith("timeout ")  # a hung benchmark cannot hold CI


@pytest.mark.parametrize("command", ["validate", "plan", "apply", "import"])
def test_help_names_the_default_path_and_the_exit_codes(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "PATH is the project directory (default: campaigns/)" in text
    assert "Exit codes: 0 " in text and "1 " in text
