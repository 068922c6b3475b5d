"""Leads Smartlead refuses for a lasting reason are listed once, never planned or sent again
(unless --retry-refused). Real processes against the emulator over loopback HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartlead_sync.localstate import state_dir
from tests.apply.projects import lead_email, write_project
from tests.apply.support import Served, apply_cli, served_emulator
from tests.conftest import CANARY_KEY, RunCli

pytestmark = pytest.mark.slow

TIME_SCALE = 200.0


def _lead_writes(served: Served) -> int:
    return sum(
        1 for e in served.emulator.stats().log if e.route == "POST /campaigns/{campaign_id}/leads"
    )


def test_refused_leads_are_listed_not_planned_and_not_sent_again(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "repo" / "campaigns", campaigns=1, leads=6, status="drafted")
    blocked, unsubscribed, bounced = (lead_email(0, row) for row in (1, 2, 3))
    with served_emulator(tmp_path / "account.sqlite3", time_scale=TIME_SCALE) as served:
        served.emulator.block_email(blocked.split("@")[0] + "@lead-example.com")
        served.emulator.unsubscribe_email(unsubscribed)
        served.emulator.bounce_email(bounced)
        env = {"SMARTLEAD_API_KEY": CANARY_KEY}
        plan_args = ("plan", str(project), "--base-url", served.base_url, "--detailed-exitcode")

        first = apply_cli(run_cli, project, served, "--auto-approve", "--format", "json")
        report = json.loads(first.stdout)
        served.emulator.reset_stats()
        second_plan = run_cli(*plan_args, env=env)
        second_apply = apply_cli(run_cli, project, served, "--auto-approve")
        writes_after = _lead_writes(served)
        retried = run_cli(*plan_args, "--retry-refused", env=env)

    assert first.returncode == 0, first.stdout
    (campaign,) = report["campaigns"]
    assert campaign["leads"]["attached"] == 3
    assert campaign["leads"]["skipped_by_reason"] == {
        "blocked": 1,
        "unsubscribed": 1,
        "bounced": 1,
    }
    assert second_plan.returncode == 0, second_plan.stdout + second_plan.stderr
    assert "Refused by Smartlead before, not sent again" in second_plan.stdout
    assert "3 lead(s):" in second_plan.stdout
    for reason in ("(blocked)", "(unsubscribed)", "(bounced)"):
        assert reason in second_plan.stdout
    assert second_apply.returncode == 0, second_apply.stderr
    assert writes_after == 0
    assert retried.returncode == 2  # asked to retry: the three are planned as adds again
    assert "3 leads to add" in retried.stdout
    record = "".join(p.read_text() for p in state_dir(project).glob("refused-*.json"))
    assert record and not any(email in record for email in (blocked, unsubscribed, bounced))
    assert CANARY_KEY not in record
