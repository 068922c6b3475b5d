"""plan.json: stable, readable back, no lead data, and fingerprints that catch any movement."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from smartlead_sync.errors import ConfigError
from smartlead_sync.fingerprint import staleness
from smartlead_sync.plan import ChangeKind, Plan
from smartlead_sync.state import Status
from tests.plan.factories import as_live, desired, edit, plan_for
from tests.plan.scenario import scenario, scenario_plan


def test_the_same_inputs_give_the_same_plan_file() -> None:
    assert scenario_plan().to_json() == scenario_plan().to_json()


def test_lead_changes_carry_counts_and_samples_but_no_payload() -> None:
    document = json.loads(scenario_plan().to_json())
    lead_changes = [
        change
        for campaign in document["campaigns"]
        for change in campaign["changes"]
        if change["kind"] in ("add_leads", "update_leads", "remove_leads")
    ]
    assert lead_changes
    assert all(c["payload"] is None and c["leads"]["count"] > 0 for c in lead_changes)
    other = [
        c
        for campaign in document["campaigns"]
        for c in campaign["changes"]
        if c not in lead_changes
    ]
    assert all(c["payload"] is not None for c in other)


def test_a_save_sequence_payload_is_in_the_file_in_full() -> None:
    document = json.loads(scenario_plan().to_json())
    (save, *_) = [c for c in document["campaigns"][0]["changes"] if c["kind"] == "save_sequence"]
    steps = save["payload"]["steps"]
    assert [s["id"] for s in steps] == [100000101, 100000104]
    assert steps[0]["variants"][0]["subject"] == "Quick idea for {{company_name}}"


def test_a_file_of_another_format_version_is_refused() -> None:
    document = json.loads(scenario_plan().to_json())
    document["format_version"] = 99
    with pytest.raises(ConfigError, match="format version 99"):
        Plan.from_json(json.dumps(document))


@pytest.mark.parametrize("text", ["", "[]", "{}", '{"format_version": 1}', "not json"])
def test_a_file_that_is_not_a_plan_is_a_clear_error(text: str) -> None:
    with pytest.raises(ConfigError):
        Plan.from_json(text)


def test_a_plan_read_back_keeps_kinds_fields_and_safety_inputs() -> None:
    plan = scenario_plan()
    again = Plan.from_json(plan.to_json())
    assert [c.action for c in again.campaigns] == [c.action for c in plan.campaigns]
    for before, after in zip(plan.campaigns, again.campaigns, strict=True):
        assert [c.kind for c in after.changes] == [c.kind for c in before.changes]
        assert [c.irreversible for c in after.changes] == [c.irreversible for c in before.changes]
        assert (after.allow_stop, after.live_lead_count) == (
            before.allow_stop,
            before.live_lead_count,
        )
        assert all(c.payload is None for c in after.changes)


def test_a_live_change_moves_the_live_fingerprint_only() -> None:
    wanted, live = scenario()
    plan = plan_for(wanted, live)
    touched = [replace(live[0], status=Status.PAUSED), *live[1:]]
    again = plan_for(wanted, touched)
    assert again.desired_fingerprint == plan.desired_fingerprint
    assert again.live_fingerprint != plan.live_fingerprint
    assert staleness(plan, again) == ["Smartlead changed since the plan was made"]


def test_a_change_to_one_live_lead_moves_the_live_fingerprint() -> None:
    wanted, live = scenario()
    key = next(iter(live[0].leads))
    lead = replace(live[0].leads[key], last_name="Changed in the UI")
    touched = [replace(live[0], leads={**live[0].leads, key: lead}), *live[1:]]
    assert plan_for(wanted, touched).live_fingerprint != plan_for(wanted, live).live_fingerprint


def test_a_file_change_moves_the_desired_fingerprint_only() -> None:
    wanted, live = scenario()
    plan = plan_for(wanted, live)
    edited = [edit(wanted[0], status=Status.PAUSED), *wanted[1:]]
    again = plan_for(edited, live)
    assert again.live_fingerprint == plan.live_fingerprint
    assert staleness(plan, again) == [
        "the campaign files or lead files changed since the plan was made"
    ]


def test_an_undeclared_campaign_does_not_move_the_live_fingerprint() -> None:
    wanted = desired()
    live = as_live(wanted.state, 1)
    other = as_live(desired("Someone else's").state, 2)
    plan = plan_for([wanted], [live])
    assert plan_for([wanted], [live, other]).live_fingerprint == plan.live_fingerprint


def test_a_new_campaign_with_a_declared_name_moves_the_live_fingerprint() -> None:
    wanted = desired("Brand new")
    before = plan_for([wanted], [])
    clicked = as_live(replace(wanted.state, leads={}), 7)
    after = plan_for([wanted], [clicked])
    assert after.live_fingerprint != before.live_fingerprint
    assert ChangeKind.CREATE_CAMPAIGN not in [c.kind for c in after.campaigns[0].changes]


def test_the_same_plan_rebuilt_is_not_stale() -> None:
    assert staleness(scenario_plan(), scenario_plan()) == []
