"""Guards end to end on the embedded emulator, as a user runs them: a bounce spike pauses
exactly the campaign that has it, plan and apply keep it paused while the guard trips, and a
reviewed change to the files resumes it."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from tests.conftest import RunCli
from tests.health.projects import SIMPLE_STEP, embedded, live_campaigns, write_project


def _setup(run_cli: RunCli, tmp_path: Path) -> Path:
    project = write_project(
        tmp_path,
        {"Spiking": SIMPLE_STEP, "Healthy": SIMPLE_STEP, "Young": SIMPLE_STEP},
    )
    applied = run_cli("apply", "--emulator", "--auto-approve", cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    with embedded(project) as emulator:
        ids = {name: cid for name, (cid, _) in live_campaigns(emulator).items()}
        emulator.simulate_sends(ids["Spiking"], 300, bounces=30, replies=6)
        emulator.simulate_sends(ids["Healthy"], 300, bounces=3, replies=9)
        emulator.simulate_sends(ids["Young"], 40, bounces=20)
    return project


def _statuses(project: Path) -> dict[str, str]:
    with embedded(project) as emulator:
        return {name: status for name, (_, status) in live_campaigns(emulator).items()}


def test_a_bounce_spike_pauses_that_campaign_and_plan_holds_it_until_the_files_change(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = _setup(run_cli, tmp_path)

    dry = run_cli("guard", "--emulator", "--detailed-exitcode", cwd=tmp_path)
    assert dry.returncode == 2, dry.stdout + dry.stderr
    assert "Spiking (id " in dry.stdout and "to pause (run with --auto-approve)" in dry.stdout
    assert _statuses(project) == {"Spiking": "active", "Healthy": "active", "Young": "active"}

    guard = run_cli(
        "guard",
        "--emulator",
        "--auto-approve",
        "--detailed-exitcode",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert guard.returncode == 2, guard.stdout + guard.stderr
    report = json.loads(guard.stdout)
    by_name = {c["name"]: c for c in report["campaigns"]}
    spiking = by_name["Spiking"]["guards"][0]
    evidence = (spiking["verdict"], spiking["value_percent"], spiking["sample"])
    assert evidence == ("tripped", 10.0, 300)
    assert spiking["threshold_percent"] == 5 and spiking["window"]["start"] is None
    assert by_name["Healthy"]["guards"][0]["verdict"] == "ok"
    young = by_name["Young"]["guards"][0]
    assert young["verdict"] == "not_enough_data"
    assert young["evidence"].startswith("bounce_rate: not enough data, 40 emails sent of the 100")
    assert [c["name"] for c in report["campaigns"] if c["paused"]] == ["Spiking"]
    assert _statuses(project) == {"Spiking": "paused", "Healthy": "active", "Young": "active"}

    plan = run_cli("plan", "--emulator", "--detailed-exitcode", cwd=tmp_path)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "held paused by guard: bounce_rate 10.00 % > 5 %" in plan.stdout
    applied = run_cli("apply", "--emulator", "--auto-approve", cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert _statuses(project)["Spiking"] == "paused"

    spiking_file = project / "Spiking.yaml"
    spiking_file.write_text(
        spiking_file.read_text() + "guards:\n  - metric: bounce_rate\n    threshold: 12\n"
    )
    resumed = run_cli("plan", "--emulator", "--detailed-exitcode", cwd=tmp_path)
    assert resumed.returncode == 2, resumed.stdout + resumed.stderr
    assert "held paused" not in resumed.stdout
    assert 'status: "paused" -> "active"' in resumed.stdout
    applied = run_cli("apply", "--emulator", "--auto-approve", cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert _statuses(project)["Spiking"] == "active"


def test_an_acknowledgement_dated_today_resumes_and_counting_restarts_after_it(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = _setup(run_cli, tmp_path)
    assert run_cli("guard", "--emulator", "--auto-approve", cwd=tmp_path).returncode == 0
    assert _statuses(project)["Spiking"] == "paused"

    today = datetime.now(timezone.utc).date().isoformat()
    (project / "Spiking.yaml").write_text(
        f"name: Spiking\n{SIMPLE_STEP}guards:\n  - metric: bounce_rate\n    threshold: 5\n"
        f"    acknowledged: {today}\n"
    )
    plan = run_cli("plan", "--emulator", "--detailed-exitcode", cwd=tmp_path)
    assert plan.returncode == 2, plan.stdout + plan.stderr
    assert "held paused" not in plan.stdout
    assert run_cli("apply", "--emulator", "--auto-approve", cwd=tmp_path).returncode == 0
    guard = run_cli("guard", "--emulator", "--detailed-exitcode", cwd=tmp_path)
    assert guard.returncode == 0  # Healthy is fine, Young too small, Spiking counts from tomorrow
    assert "not enough data, 0 emails sent of the 100 needed" in guard.stdout
    assert _statuses(project)["Spiking"] == "active"
