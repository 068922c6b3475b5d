"""`apply --plan` reads only what the reviewed plan touches: one subject changed in 1 of 50
campaigns costs a handful of calls, not a re-read of the account; a change Smartlead saw since
the review in a touched part still makes the plan stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.localstate import EMULATOR_ACCOUNT, state_file
from tests.apply.projects import campaign_name, write_project
from tests.conftest import RunCli
from tests.emulated import FAST, converge, provider_on

pytestmark = pytest.mark.slow

CAMPAIGNS = 50
CHANGED = 7


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """50 applied campaigns (10 leads each) in the project's embedded emulator account."""
    root = write_project(tmp_path / "campaigns", campaigns=CAMPAIGNS, leads=10, status="drafted")
    desired = load_desired(root, env={})
    emulator = Emulator(
        EmulatorConfig(time_scale=FAST), state_path=state_file(root, EMULATOR_ACCOUNT)
    )
    try:
        with provider_on(emulator) as provider:
            converge(provider, desired.campaigns, desired.tool)
    finally:
        emulator.close()
    return root


def _calls(log: Path) -> list[str]:
    lines = log.read_text().splitlines() if log.exists() else []
    return [f"{json.loads(line)['method']} {json.loads(line)['route']}" for line in lines]


def test_applying_a_one_subject_plan_reads_only_that_campaign(
    run_cli: RunCli, project: Path, tmp_path: Path
) -> None:
    noop_log = tmp_path / "noop.jsonl"
    noop = run_cli("plan", str(project), "--emulator", "--log-http", str(noop_log))
    assert noop.returncode == 0 and "No changes" in noop.stdout, noop.stderr
    noop_calls = _calls(noop_log)
    # The list, the mailbox list, and per campaign its sequence, mailboxes, webhooks, leads.
    assert len(noop_calls) == 2 + 4 * CAMPAIGNS
    assert "GET /campaigns/{id}" not in noop_calls  # the list already returned the row

    changed = project / f"campaign-{CHANGED:02d}.yaml"
    changed.write_text(changed.read_text().replace("Quick question", "A quick question"))
    plan_file = tmp_path / "plan.json"
    planned = run_cli("plan", str(project), "--emulator", "--out", str(plan_file))
    assert planned.returncode == 0, planned.stderr

    log = tmp_path / "apply.jsonl"
    argv = ["apply", str(project), "--emulator", "--plan", str(plan_file), "--format", "json"]
    applied = run_cli(*argv, "--log-http", str(log))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    report = json.loads(applied.stdout)
    calls = _calls(log)
    print(f"no-op plan of {CAMPAIGNS} campaigns: {len(noop_calls)} calls")
    print(f"apply of 1 subject in 1 of {CAMPAIGNS} campaigns: {len(calls)} calls: {calls}")
    assert report["converged"] is True
    assert report["totals"]["total_calls"] == len(calls)
    # The campaign list (identity), the sequence read, the save, and the verification: the
    # saved sequence read back as soon as the campaign is done, then the campaign list.
    assert calls == [
        "GET /campaigns",
        "GET /campaigns/{id}/sequences",
        "POST /campaigns/{id}/sequences",
        "GET /campaigns/{id}/sequences",
        "GET /campaigns",
    ]
    assert len(calls) <= 20
    [campaign] = [c for c in report["campaigns"] if c["outcome"] == "applied"]
    assert campaign["name"] == campaign_name(CHANGED)


def test_a_change_in_a_part_the_plan_touches_makes_it_stale_and_others_do_not(
    run_cli: RunCli, project: Path, tmp_path: Path
) -> None:
    changed = project / f"campaign-{CHANGED:02d}.yaml"
    changed.write_text(changed.read_text().replace("Quick question", "A quick question"))
    plan_file = tmp_path / "plan.json"
    assert run_cli("plan", str(project), "--emulator", "--out", str(plan_file)).returncode == 0
    saved = json.loads(plan_file.read_text())
    ids = {c["name"]: c["live_id"] for c in saved["campaigns"]}

    emulator = Emulator(
        EmulatorConfig(time_scale=FAST), state_path=state_file(project, EMULATOR_ACCOUNT)
    )
    try:
        # Another campaign edited in the UI: not part of the reviewed change.
        emulator.edit_step(ids[campaign_name(CHANGED + 1)], 2, email_body="<p>By hand</p>")
    finally:
        emulator.close()
    argv = ["apply", str(project), "--emulator", "--plan", str(plan_file)]
    assert run_cli(*argv).returncode == 0

    changed.write_text(changed.read_text().replace("A quick question", "Another question"))
    assert run_cli("plan", str(project), "--emulator", "--out", str(plan_file)).returncode == 0
    saved = json.loads(plan_file.read_text())
    emulator = Emulator(
        EmulatorConfig(time_scale=FAST), state_path=state_file(project, EMULATOR_ACCOUNT)
    )
    try:
        emulator.edit_step(ids[campaign_name(CHANGED)], 2, email_body="<p>By hand</p>")
    finally:
        emulator.close()
    stale = run_cli(*argv)
    assert stale.returncode == 4
    assert "the saved plan is stale: what apply would do changed" in stale.stderr
    assert "step 2" in stale.stderr  # the hand edit in the sequence the plan saves
