"""Campaign files <-> normalized state, and live state -> file -> state for `import`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from smartlead_sync.desired import campaign_file_from_state, load_desired
from smartlead_sync.desired.writer import dump_campaign
from smartlead_sync.state import CampaignState, Lead, Schedule, Status, Step, Variant
from tests.conftest import FIXTURE_PROJECT
from tests.narrowing import managed


def _without_sources(state: CampaignState) -> CampaignState:
    leads = None
    if state.leads is not None:
        leads = {k: dataclasses.replace(v, source=None) for k, v in state.leads.items()}
    return dataclasses.replace(state, leads=leads)


def _reload(state: CampaignState, tmp_path: Path) -> CampaignState:
    (tmp_path / "imported.yaml").write_text(dump_campaign(campaign_file_from_state(state)))
    return load_desired(tmp_path, env={}).campaigns[0].state


@pytest.mark.parametrize("index", [0, 1, 2])
def test_example_state_survives_import_round_trip(index: int, tmp_path: Path) -> None:
    state = load_desired(FIXTURE_PROJECT, env={}).campaigns[index].state
    assert _without_sources(_reload(state, tmp_path)) == _without_sources(state)


def test_live_only_statuses_are_left_unmanaged_and_stopped_carries_the_opt_in() -> None:
    completed = campaign_file_from_state(CampaignState(name="x", status=Status.COMPLETED))
    assert completed.status is None
    stopped = campaign_file_from_state(CampaignState(name="x", status=Status.STOPPED))
    assert (stopped.status, stopped.allow_stop) == ("stopped", True)


def test_live_shapes_map_back_exactly(tmp_path: Path) -> None:
    state = CampaignState(
        name="Live",
        client_id=12,
        id=2_710_262,
        status=Status.PAUSED,
        schedule=Schedule("UTC", (0, 6), "08:00", "18:30", 5, 100, None),
        sequence=(
            Step(1, 0, "Hi {{first_name}}", "<p>a</p>"),
            Step(2, 2, variants=(Variant("A", "", "x", 60), Variant("B", "", "y", 40))),
        ),
        mailboxes=("a@example.com",),
        leads={"z@example.com": Lead("z@example.com", phone_number="0123")},
    )
    reloaded = _reload(state, tmp_path)
    assert reloaded.schedule == state.schedule  # Sunday and Saturday: days 0 and 6
    assert (
        reloaded.sequence is not None
        and reloaded.sequence[1].variants == managed(state.sequence)[1].variants
    )
    assert (reloaded.leads or {})["z@example.com"].phone_number == "0123"
    assert (reloaded.id, reloaded.client_id, reloaded.status) == (2_710_262, 12, Status.PAUSED)
