"""`doctor` as a user runs it: a healthy account passes, a refused key explains the plan
requirement, and a missing mailbox or a slow answer fails with exit 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartlead_sync.emulator import Emulator, EmulatorConfig
from tests.conftest import RunCli
from tests.health.projects import SIMPLE_STEP, write_project


@pytest.fixture
def served() -> Iterator[str]:
    emulator = Emulator(EmulatorConfig())
    server = emulator.serve()
    try:
        yield server.base_url
    finally:
        emulator.close()


def _checks(stdout: str) -> dict[str, tuple[str, str]]:
    data = json.loads(stdout)
    return {c["name"]: (c["level"], c["detail"]) for c in data["checks"]}


def test_a_healthy_account_passes_every_check(run_cli: RunCli, tmp_path: Path) -> None:
    write_project(tmp_path, {"First": SIMPLE_STEP, "Second": SIMPLE_STEP})
    assert run_cli("apply", "--emulator", "--auto-approve", cwd=tmp_path).returncode == 0
    proc = run_cli("doctor", "--emulator", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    checks = _checks(proc.stdout)
    assert checks["API key"] == ("ok", "accepted (2 campaign(s) in the account)")
    assert checks["Rate-limit headers"][0] == "ok"
    assert "x-ratelimit-limit: 60" in checks["Rate-limit headers"][1]
    assert checks["Mailboxes"] == ("ok", "all 1 named in the files exist")
    assert checks["Campaign 'First'"][0] == "ok"
    assert ", active, 0 lead(s)" in checks["Campaign 'First'"][1]


def test_a_refused_key_names_the_plan_that_gives_api_access(
    run_cli: RunCli, tmp_path: Path, served: str
) -> None:
    write_project(tmp_path, {"First": SIMPLE_STEP})
    proc = run_cli("doctor", "--base-url", served, "--api-key", "not-a-key", cwd=tmp_path)
    assert proc.returncode == 1
    assert "FAIL  API key: refused (HTTP 401)" in proc.stdout
    assert "the Pro plan or higher" in proc.stdout
    assert "not-a-key" not in proc.stdout + proc.stderr


def test_a_missing_mailbox_and_a_slow_answer_fail(run_cli: RunCli, tmp_path: Path) -> None:
    project = write_project(tmp_path, {"First": SIMPLE_STEP})
    (project / "First.yaml").write_text(
        f"name: First\nstatus: paused\n{SIMPLE_STEP}mailboxes: [nobody@outreach-example.com]\n"
    )
    proc = run_cli(
        "doctor", "--emulator", "--format", "json", "--max-seconds", "0.000001", cwd=tmp_path
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    checks = _checks(proc.stdout)
    assert checks["Mailboxes"] == (
        "fail",
        "1 of 1 named in the files are not in the account: nobody@outreach-example.com",
    )
    assert checks["Response time"][0] == "fail"
    assert checks["Campaign 'First'"] == ("ok", "not in Smartlead yet: apply creates it")


@pytest.mark.parametrize("path", ["nope", "campaigns/nope.yaml"])
def test_a_missing_project_is_reported_and_nothing_is_created(
    run_cli: RunCli, tmp_path: Path, path: str
) -> None:
    (tmp_path / "campaigns").mkdir()
    proc = run_cli("doctor", "--emulator", path, cwd=tmp_path)
    assert proc.returncode == 1
    assert f"{path}: error: no such " in proc.stderr, proc.stderr
    assert f"no project at {path}; nothing was checked" in proc.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["campaigns"]
