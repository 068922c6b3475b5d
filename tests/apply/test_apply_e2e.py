"""`apply` as a user runs it: a real process against the emulator over loopback HTTP."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartlead_sync.emulator import RequestLogEntry
from smartlead_sync.state import Status
from tests.apply.support import (
    Served,
    apply_cli,
    apply_now,
    plan_now,
    provider_on,
    served_emulator,
)
from tests.conftest import CANARY_KEY, REPO_ROOT, RunCli

pytestmark = pytest.mark.slow

TIME_SCALE = 200.0
Q3 = "Q3 cold outreach - RevOps leaders"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with served_emulator(tmp_path / "account.sqlite3", time_scale=TIME_SCALE) as served:
        yield served


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "repo" / "campaigns"
    shutil.copytree(REPO_ROOT / "campaigns", target)
    return target


def _writes(log: tuple[RequestLogEntry, ...]) -> list[str]:
    return [e.route for e in log if e.method != "GET"]


def _never_shows_the_key(*texts: str) -> None:
    for text in texts:
        assert CANARY_KEY not in text


def test_examples_apply_to_an_empty_account_and_a_following_plan_is_empty(
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
    with provider_on(served.base_url, TIME_SCALE) as provider:
        assert not plan_now(project, provider).has_changes
    journal = (project.parent / "apply.journal.jsonl").read_text(encoding="utf-8")
    assert '"event":"run_finished"' in journal
    _never_shows_the_key(result.stdout, result.stderr, journal, report_file.read_text())
    assert "@" not in "".join(re.findall(r"[a-z]\*\*\*@", journal)).replace("***@", "")


def test_a_saved_plan_is_refused_as_stale_after_a_change_in_the_ui(
    run_cli: RunCli, served: Served, project: Path
) -> None:
    q3_file = project / "q3-cold-outreach.yaml"
    with provider_on(served.base_url, TIME_SCALE) as provider:
        apply_now(project, provider, TIME_SCALE)
        q3_file.write_text(q3_file.read_text().replace("Last note from me", "Closing the loop"))
        reviewed = plan_now(project, provider)
    plan_file = project.parent / "plan.json"
    plan_file.write_text(reviewed.to_json(), encoding="utf-8")
    q3 = reviewed.campaigns[[c.name for c in reviewed.campaigns].index(Q3)]
    assert q3.live_id is not None
    served.emulator.edit_step(q3.live_id, 2, email_body="<p>Edited by hand in the UI</p>")
    served.emulator.reset_stats()

    stale = apply_cli(run_cli, project, served, "--plan", str(plan_file))

    assert stale.returncode == 4, stale.stderr
    assert "the saved plan is stale: Smartlead changed since the plan was made" in stale.stderr
    assert _writes(served.emulator.stats().log) == []

    with provider_on(served.base_url, TIME_SCALE) as provider:
        plan_file.write_text(plan_now(project, provider).to_json(), encoding="utf-8")
    fresh = apply_cli(run_cli, project, served, "--plan", str(plan_file))
    assert fresh.returncode == 0, fresh.stderr
    assert "Applying the reviewed plan" in fresh.stdout


def test_a_subject_change_on_an_active_campaign_pauses_saves_and_restarts_it(
    run_cli: RunCli, served: Served, project: Path
) -> None:
    with provider_on(served.base_url, TIME_SCALE) as provider:
        apply_now(project, provider, TIME_SCALE)
        q3_id = next(c.id for c in provider.list_campaigns() if c.name == Q3)
    q3_file = project / "q3-cold-outreach.yaml"
    q3_file.write_text(q3_file.read_text().replace("Last note from me", "Closing the loop"))
    served.emulator.reset_stats()

    result = apply_cli(run_cli, project, served, "--auto-approve")

    assert result.returncode == 0, result.stderr
    base = "/campaigns/{campaign_id}"
    assert _writes(served.emulator.stats().log) == [
        f"POST {base}/status",
        f"POST {base}/sequences",
        f"POST {base}/status",
    ]
    paths = [e.path for e in served.emulator.stats().log if e.method == "POST"]
    assert all(str(q3_id) in p for p in paths)
    raw = served.emulator.raw_campaign(q3_id)
    assert raw["status"] == "ACTIVE"
    with provider_on(served.base_url, TIME_SCALE) as provider:
        assert not plan_now(project, provider).has_changes


def test_stopping_without_allow_destroy_is_blocked_and_nothing_is_written(
    run_cli: RunCli, served: Served, project: Path
) -> None:
    with provider_on(served.base_url, TIME_SCALE) as provider:
        apply_now(project, provider, TIME_SCALE)
    q3_file = project / "q3-cold-outreach.yaml"
    text = q3_file.read_text().replace("status: active", "status: stopped\nallow_stop: true")
    q3_file.write_text(text)
    served.emulator.reset_stats()

    blocked = apply_cli(run_cli, project, served, "--auto-approve")

    assert blocked.returncode == 3, blocked.stderr
    assert "stopping 'Q3 cold outreach - RevOps leaders' is permanent" in blocked.stderr
    assert "--allow-destroy" in blocked.stderr
    assert "status" in blocked.stdout  # the plan was shown before the refusal
    assert _writes(served.emulator.stats().log) == []

    allowed = apply_cli(run_cli, project, served, "--auto-approve", "--allow-destroy")
    assert allowed.returncode == 0, allowed.stderr
    with provider_on(served.base_url, TIME_SCALE) as provider:
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
