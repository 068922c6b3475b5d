"""`--campaign ID` selects a campaign by its live id, also when no file pins that id."""

from __future__ import annotations

from pathlib import Path

from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.localstate import EMULATOR_ACCOUNT, state_file
from tests.apply.projects import campaign_name, write_project
from tests.conftest import RunCli
from tests.emulated import provider_on


def _live_ids(project: Path) -> dict[str, int]:
    emulator = Emulator(EmulatorConfig(), state_path=state_file(project, EMULATOR_ACCOUNT))
    try:
        with provider_on(emulator) as provider:
            return {c.name: c.id for c in provider.list_campaigns()}
    finally:
        emulator.close()


def test_plan_and_apply_select_an_unpinned_campaign_by_its_live_id(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=2, leads=2, status="drafted")
    applied = run_cli("apply", str(project), "--emulator", "--auto-approve", cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    ids = _live_ids(project)
    for index in range(2):
        path = project / f"campaign-{index:02d}.yaml"
        path.write_text(path.read_text().replace("Bumping this", "Following up"))
    second = str(ids[campaign_name(1)])

    planned = run_cli("plan", str(project), "--emulator", "--campaign", second, cwd=tmp_path)
    again = run_cli(
        "apply", str(project), "--emulator", "--auto-approve", "--campaign", second, cwd=tmp_path
    )

    assert planned.returncode == 0, planned.stderr
    assert f'campaign "{campaign_name(1)}" (id {second}, update)' in planned.stdout
    assert campaign_name(0) not in planned.stdout
    assert again.returncode == 0, again.stderr
    after = run_cli("plan", str(project), "--emulator", "--detailed-exitcode", cwd=tmp_path)
    assert after.returncode == 2  # the other campaign was left alone
    assert campaign_name(0) in after.stdout and campaign_name(1) not in after.stdout


def test_an_id_no_campaign_has_or_no_file_declares_is_refused(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=2, leads=1, status="drafted")
    assert (
        run_cli("apply", str(project), "--emulator", "--auto-approve", cwd=tmp_path).returncode == 0
    )
    (project / "campaign-00.yaml").unlink()  # its campaign stays in Smartlead
    live_id = _live_ids(project)[campaign_name(0)]

    unknown = run_cli("plan", str(project), "--emulator", "--campaign", "99", cwd=tmp_path)
    undeclared = run_cli(
        "plan", str(project), "--emulator", "--campaign", str(live_id), cwd=tmp_path
    )

    assert unknown.returncode == 1
    assert "--campaign 99: no campaign of this Smartlead account has that id" in unknown.stderr
    assert undeclared.returncode == 1
    assert f"{live_id} ('{campaign_name(0)}'): no campaign file declares" in undeclared.stderr
