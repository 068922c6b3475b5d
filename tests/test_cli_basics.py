from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from smartlead_sync.cli import cli
from tests.cli_process import REPO_ROOT
from tests.conftest import RunCli


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


def test_the_changelog_has_a_section_for_the_version_being_released() -> None:
    from smartlead_sync import __version__

    changelog = (REPO_ROOT / "CHANGELOG.md").read_text()
    assert f"\n## [{__version__}]\n" in changelog  # release.yml refuses a tag without it


def _release(version: str) -> tuple[int, ...]:
    """`2.10` and `2.10.0` are one version."""
    parts = [int(p) for p in version.split(".")]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def test_the_oldest_dependencies_ci_installs_are_the_floors_of_pyproject() -> None:
    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    deps = re.search(r"\ndependencies = \[(.*?)\]", pyproject, re.S)
    assert deps is not None
    floors = {
        name.lower(): version
        for name, version in re.findall(r'"([A-Za-z0-9_-]+)>=([0-9.]+)', deps[1])
    }
    pins = (REPO_ROOT / ".ci" / "oldest-dependencies.txt").read_text()
    pinned = {
        name.lower(): version
        for name, version in re.findall(r"^([A-Za-z0-9_-]+)==([0-9.]+)$", pins, re.M)
    }
    runtime = {n: _release(v) for n, v in pinned.items() if n in floors}
    assert runtime == {n: _release(v) for n, v in floors.items()}
    workflow = (REPO_ROOT / ".github" / "workflows" / "ci.yml").read_text()
    assert "-c .ci/oldest-dependencies.txt" in workflow
