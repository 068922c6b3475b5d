"""Lead batches as large as the account accepts: a refused batch is sent again smaller, with no
lead lost or sent twice, and the cap it taught is remembered in the project's local state."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartlead_sync.apply.batchcap import BatchCap, load_cap, save_cap
from smartlead_sync.apply.run import ApplyContext, apply_plan
from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.plan.planning import make_plan
from tests.apply.projects import lead_email, write_project
from tests.emulated import FAST, provider_on


def _apply_with_cap(project: Path, emulator: Emulator, cap: BatchCap) -> tuple[int, int]:
    desired = load_desired(project, env={})
    tool = desired.tool
    with provider_on(emulator) as provider:
        plan = make_plan(provider, desired.campaigns, tool)
        report = apply_plan(plan, desired.campaigns, ApplyContext(provider, tool, batch_cap=cap))
        live = provider.read_leads(report.campaigns[0].campaign_id or 0)
    assert report.exit_code == 0 and report.converged, report.residual_drift
    assert set(live) == {lead_email(0, row) for row in range(1000)}
    tally = report.campaigns[0].leads
    assert tally.attached == 1000 and tally.already_present == 0  # each lead sent once
    return report.totals.total, emulator.stats().requests_by_route[
        "POST /campaigns/{campaign_id}/leads"
    ]


@pytest.mark.parametrize(
    ("account_cap", "learned", "upload_calls"),
    [
        # The refusal names its cap: one refused call; the planned 400, 400, 200 then go as
        # 150+150+100, 150+150+100, 150+50.
        (150, 150, 1 + 8),
        (400, None, 3),  # 400, 400, 200: nothing refused
    ],
)
def test_an_oversize_batch_falls_back_without_losing_or_repeating_a_lead(
    tmp_path: Path, account_cap: int, learned: int | None, upload_calls: int
) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=1, leads=1000, status="drafted")
    text = (
        (project / "smartlead-sync.yaml")
        .read_text()
        .replace("lead_batch_size: 100", "lead_batch_size: 400")
    )
    (project / "smartlead-sync.yaml").write_text(text)
    emulator = Emulator(EmulatorConfig(time_scale=FAST, lead_batch_cap=account_cap))
    seen: list[int] = []
    cap = BatchCap(400, on_learned=seen.append)
    _, uploads = _apply_with_cap(project, emulator, cap)
    emulator.close()
    assert uploads == upload_calls
    assert seen == ([] if learned is None else [learned])


def test_a_refusal_that_names_no_size_halves_down_to_the_safe_size() -> None:
    cap = BatchCap(400)
    assert cap.refused(400, "Lead list exceeds maximum size")
    assert cap.size == 200
    assert cap.refused(200, "Lead list exceeds maximum size")
    assert cap.size == 100
    assert not cap.refused(100, "Lead list exceeds maximum size")  # about something else


def test_a_named_size_is_taken_at_once_and_other_refusals_cost_at_most_two_calls() -> None:
    cap = BatchCap(400)
    assert cap.refused(400, "Lead list exceeds maximum size - at most 350 leads per request")
    assert cap.size == 350
    other = BatchCap(400)
    refusals = 0
    while other.refused(other.size, "lead_list[3].custom_fields must be an object"):
        refusals += 1
    assert (refusals, other.size) == (2, 100)  # then the refusal is raised


def test_the_learned_cap_is_kept_per_api_in_the_local_state(tmp_path: Path) -> None:
    assert load_cap(tmp_path, "https://server.smartlead.ai/api/v1") is None
    save_cap(tmp_path, "https://server.smartlead.ai/api/v1", 350)
    save_cap(tmp_path, "http://127.0.0.1:8080/api/v1", 100)
    assert load_cap(tmp_path, "https://server.smartlead.ai/api/v1") == 350
    assert (tmp_path / ".smartlead-sync" / "lead-batch-cap.json").is_file()
    (tmp_path / ".smartlead-sync" / "lead-batch-cap.json").write_text("{not json")
    assert load_cap(tmp_path, "https://server.smartlead.ai/api/v1") is None
