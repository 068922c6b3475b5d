"""`apply` as a user runs it: a real process against the emulator over loopback HTTP."""

from __future__ import annotations

import json
import os
import pty
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import Emulator, EmulatorConfig, RequestLogEntry
from smartlead_sync.state import Status
from tests.apply.projects import write_project
from tests.apply.support import (
    Served,
    apply_cli,
    apply_command_line,
    apply_now,
    plan_now,
    served_emulator,
)
from tests.cli_process import CliZygote, read_terminal
from tests.conftest import CANARY_KEY, FIXTURE_PROJECT, RunCli
from tests.emulated import provider_on

pytestmark = pytest.mark.slow

TIME_SCALE = 200.0
Q3 = "Q3 cold outreach - RevOps leaders"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with served_emulator(tmp_path / "account.sqlite3", time_scale=TIME_SCALE) as served:
        yield served


@pytest.fixture(scope="module")
def examples_applied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An account the fixture project was applied to, once for the module; tests serve a copy."""
    state = tmp_path_factory.mktemp("applied") / "account.sqlite3"
    config = EmulatorConfig(api_keys=(CANARY_KEY,), time_scale=TIME_SCALE)
    emulator = Emulator(config, state_path=state)
    try:
        with provider_on(emulator, key=CANARY_KEY) as provider:
            assert apply_now(FIXTURE_PROJECT, provider, TIME_SCALE).exit_code == 0
    finally:
        emulator.close()
    return state


@pytest.fixture
def applied(examples_applied: Path, tmp_path: Path) -> Iterator[Served]:
    """The emulator over loopback, serving a copy of the account the fixture was applied to."""
    copy = tmp_path / "account.sqlite3"
    shutil.copyfile(examples_applied, copy)
    with served_emulator(copy, time_scale=TIME_SCALE) as served:
        yield served


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "repo" / "campaigns"
    shutil.copytree(FIXTURE_PROJECT, target)
    return target


def _writes(log: tuple[RequestLogEntry, ...]) -> list[str]:
    return [e.route for e in log if e.method != "GET"]


def _never_shows_the_key(*texts: str) -> None:
    for text in texts:
        assert CANARY_KEY not in text


def test_the_fixture_project_applies_to_an_empty_account_and_a_following_plan_is_empty(
    run_cli: RunCli, served: Served, project: Path
) -> None:
    report_file = project.parent / "apply-report.json"
    result = apply_cli(run_cli, project, served, "--auto-approve", "--report", str(report_file))

    assert result.returncode == 0, result.stderr
    assert "Converged: a re-read of the changed campaigns" in result.stdout
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["exit_code"] == 0 and report["converged"] is True
    assert [c["outcome"] for c in report["campaigns"]] == ["applied"] * 3
    assert sum(c["leads"]["attached"] for c in report["campaigns"]) == 59
    assert report["totals"]["rate_limited"] == 0
    with served.provider() as provider:
        assert not plan_now(project, provider).has_changes
    journal = (project.parent / "apply.journal.jsonl").read_text(encoding="utf-8")
    assert '"event":"run_finished"' in journal
    shown = (result.stdout, result.stderr, journal, report_file.read_text())
    _never_shows_the_key(*shown)
    desired = load_desired(project, env={})
    emails = {lead.email for c in desired.campaigns for lead in (c.state.leads or {}).values()}
    assert len(emails) == 59
    assert not [e for e in emails if any(e in text for text in shown)], "a lead email leaked"


def test_a_saved_plan_is_refused_as_stale_after_a_change_in_the_ui(
    run_cli: RunCli, applied: Served, project: Path
) -> None:
    q3_file = project / "q3-cold-outreach.yaml"
    with applied.provider() as provider:
        q3_file.write_text(q3_file.read_text().replace("Last note from me", "Closing the loop"))
        reviewed = plan_now(project, provider)
    plan_file = project.parent / "plan.json"
    plan_file.write_text(reviewed.to_json(), encoding="utf-8")
    q3 = reviewed.campaigns[[c.name for c in reviewed.campaigns].index(Q3)]
    assert q3.live_id is not None
    applied.emulator.edit_step(q3.live_id, 2, email_body="<p>Edited by hand in the UI</p>")
    applied.emulator.reset_stats()

    stale = apply_cli(run_cli, project, applied, "--plan", str(plan_file))

    assert stale.returncode == 4, stale.stderr
    assert "the saved plan is stale: what apply would do changed" in stale.stderr
    assert "step 2" in stale.stderr
    assert _writes(applied.emulator.stats().log) == []

    with applied.provider() as provider:
        plan_file.write_text(plan_now(project, provider).to_json(), encoding="utf-8")
    fresh = apply_cli(run_cli, project, applied, "--plan", str(plan_file))
    assert fresh.returncode == 0, fresh.stderr
    assert "Applying the reviewed plan" in fresh.stdout


def test_a_subject_change_on_an_active_campaign_pauses_saves_and_restarts_it(
    run_cli: RunCli, applied: Served, project: Path
) -> None:
    with applied.provider() as provider:
        q3_id = next(c.id for c in provider.list_campaigns() if c.name == Q3)
    q3_file = project / "q3-cold-outreach.yaml"
    q3_file.write_text(q3_file.read_text().replace("Last note from me", "Closing the loop"))
    applied.emulator.reset_stats()

    result = apply_cli(run_cli, project, applied, "--auto-approve", "--format", "json")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # stdout carries the JSON report only
    (q3,) = [c for c in report["campaigns"] if c["outcome"] == "applied"]
    assert [s["kind"] for s in q3["done"]] == ["pause", "save_sequence", "set_status"]
    assert q3["calls"]["calls"] == {"campaign_write": 3, "global": 3}
    base = "/campaigns/{campaign_id}"
    assert _writes(applied.emulator.stats().log) == [
        f"POST {base}/status",
        f"POST {base}/sequences",
        f"POST {base}/status",
    ]
    paths = [e.path for e in applied.emulator.stats().log if e.method == "POST"]
    assert all(str(q3_id) in p for p in paths)
    raw = applied.emulator.raw_campaign(q3_id)
    assert raw["status"] == "ACTIVE"
    with applied.provider() as provider:
        assert not plan_now(project, provider).has_changes


def test_stopping_without_allow_destroy_is_blocked_and_nothing_is_written(
    run_cli: RunCli, applied: Served, project: Path
) -> None:
    q3_file = project / "q3-cold-outreach.yaml"
    text = q3_file.read_text().replace("status: active", "status: stopped\nallow_stop: true")
    q3_file.write_text(text)
    applied.emulator.reset_stats()

    blocked = apply_cli(run_cli, project, applied, "--auto-approve")

    assert blocked.returncode == 3, blocked.stderr
    assert "stopping 'Q3 cold outreach - RevOps leaders' is permanent" in blocked.stderr
    assert "--allow-destroy" in blocked.stderr
    assert "status" in blocked.stdout  # the plan was shown before the refusal
    assert _writes(applied.emulator.stats().log) == []

    allowed = apply_cli(run_cli, project, applied, "--auto-approve", "--allow-destroy")
    assert allowed.returncode == 0, allowed.stderr
    with applied.provider() as provider:
        statuses = {c.name: c.status for c in provider.list_campaigns()}
    assert statuses[Q3] is Status.STOPPED


def test_without_approval_and_without_a_terminal_apply_refuses_before_any_call(
    run_cli: RunCli, project: Path
) -> None:
    result = run_cli(
        "apply",
        str(project),
        "--base-url",
        "http://127.0.0.1:9/api/v1",
        env={"SMARTLEAD_API_KEY": CANARY_KEY},
    )
    assert result.returncode == 1
    assert "--plan plan.json" in result.stderr and "--auto-approve" in result.stderr
    assert "Traceback" not in result.stderr


def test_on_a_terminal_apply_shows_the_plan_asks_and_draws_progress(
    served: Served, project: Path, cli_zygote: CliZygote
) -> None:
    primary, secondary = pty.openpty()
    terminal = Path(os.ttyname(secondary))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTLEAD_")}
    env.update(SMARTLEAD_API_KEY=CANARY_KEY, NO_COLOR="1")
    argv = apply_command_line(project, served)
    cli_zygote.start(argv, out=terminal, err=terminal, stdin=terminal, env=env)
    try:
        before = read_terminal(primary, "Enter a value")
        assert "Plan: 3 to create, 59 leads to add" in before
        assert _writes(served.emulator.stats().log) == []  # nothing before the answer
        os.write(primary, b"yes\n")
        after = read_terminal(primary, "Journal:")
        assert cli_zygote.finished(timeout=60) == 0, after
    finally:
        os.close(secondary)
        os.close(primary)
    assert "\r\x1b[K[" in after  # the lead progress bar, redrawn in place
    assert "Converged" in after
    assert CANARY_KEY not in before + after


def test_ctrl_c_stops_after_the_calls_in_flight_and_says_what_did_not_happen(
    tmp_path: Path, cli_zygote: CliZygote
) -> None:
    project = write_project(tmp_path / "gen" / "campaigns", campaigns=4, leads=300)
    journal = project.parent / "apply.journal.jsonl"
    out_file, err_file = tmp_path / "apply.out", tmp_path / "apply.err"
    with served_emulator(tmp_path / "slow.sqlite3", time_scale=10.0) as slow:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTLEAD_")}
        env.update(SMARTLEAD_API_KEY=CANARY_KEY)
        argv = apply_command_line(project, slow, "--auto-approve")
        pid = cli_zygote.start(argv, out=out_file, err=err_file, env=env)
        deadline = time.monotonic() + 60
        while not journal.exists() or journal.read_text().count('"step_done"') < 8:
            assert cli_zygote.finished(timeout=0.01) is None and time.monotonic() < deadline
        os.kill(pid, signal.SIGINT)
        code = cli_zygote.finished(timeout=60)
        writes_after = len(_writes(slow.emulator.stats().log))
    out, err = out_file.read_text(), err_file.read_text()

    assert code == 1, err
    assert "stopping: finishing the calls in flight" in err
    assert out.startswith("Apply interrupted after") or "Apply interrupted after" in out
    assert "not done" in out and "Run apply again to finish." in out
    assert "Traceback" not in err
    entries = [json.loads(line) for line in journal.read_text().splitlines()]
    assert entries[-1]["event"] == "run_finished" and entries[-1]["interrupted"] is True
    started = sum(e["event"] == "step_started" for e in entries)
    ended = sum(e["event"] in ("step_done", "step_failed", "step_stopped") for e in entries)
    assert started == ended  # every step that began is accounted for
    assert writes_after < 4 * 12  # it stopped well before the end
