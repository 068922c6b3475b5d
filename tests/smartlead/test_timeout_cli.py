"""`--timeout` and `--deadline` as a user sets them: flag, environment or project file, against
an emulator that answers too slowly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smartlead_sync.emulator import EMULATOR_API_KEY, Emulator, EmulatorConfig, Faults
from tests.apply.projects import write_project
from tests.conftest import RunCli
from tests.emulated import FAST


@pytest.fixture(scope="module")
def slow_server() -> Iterator[str]:
    """Every answer comes a second late: longer than the timeouts below."""
    emulator = Emulator(EmulatorConfig(time_scale=FAST, faults=Faults(latency=(1.0, 1.0))))
    server = emulator.serve()
    yield server.base_url
    emulator.close()


@pytest.mark.parametrize("source", ["flag", "environment", "project file"])
def test_the_read_timeout_comes_from_flag_environment_or_project_file(
    run_cli: RunCli, tmp_path: Path, slow_server: str, source: str
) -> None:
    root = write_project(tmp_path / "campaigns", campaigns=1, leads=1)
    env = {"SMARTLEAD_API_KEY": EMULATOR_API_KEY}
    args = ["plan", str(root), "--base-url", slow_server, "--time-scale", str(FAST)]
    if source == "flag":
        args += ["--timeout", "0.2"]
    elif source == "environment":
        env["SMARTLEAD_TIMEOUT"] = "0.2"
    else:
        project = root / "smartlead-sync.yaml"
        project.write_text(project.read_text() + "  timeout_seconds: 0.2\n")
    ran = run_cli(*args, cwd=tmp_path, env=env)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "GET /campaigns failed (no response): no answer from 127.0.0.1" in ran.stderr
    assert "within 0.2s" in ran.stderr and "--timeout / SMARTLEAD_TIMEOUT" in ran.stderr
    assert "Traceback" not in ran.stderr and EMULATOR_API_KEY not in ran.stderr


def test_the_deadline_ends_a_plan_against_a_slow_server(
    run_cli: RunCli, tmp_path: Path, slow_server: str
) -> None:
    root = write_project(tmp_path / "campaigns", campaigns=1, leads=1)
    env = {"SMARTLEAD_API_KEY": EMULATOR_API_KEY, "SMARTLEAD_DEADLINE": "0.5"}
    args = ["plan", str(root), "--base-url", slow_server, "--time-scale", str(FAST)]
    ran = run_cli(*args, cwd=tmp_path, env=env)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "the overall deadline of 0.5s passed" in ran.stderr, ran.stderr


def test_a_timeout_out_of_range_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    root = write_project(tmp_path / "campaigns", campaigns=1, leads=1)
    ran = run_cli("plan", str(root), "--emulator", "--timeout", "0", cwd=tmp_path)
    assert ran.returncode == 1 and "Invalid value for '--timeout'" in ran.stderr, ran.stderr
