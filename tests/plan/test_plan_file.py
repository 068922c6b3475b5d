"""plan.json: stable, readable back, no lead data, and fingerprints that tell a stale plan (what
apply would do changed) from one that only saw live state or the files move."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from smartlead_sync.errors import ConfigError
from smartlead_sync.plan.change_kinds import ChangeKind
from smartlead_sync.plan.fingerprint import staleness
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.render.since_review import since_review
from smartlead_sync.state import Lead, Status
from tests.narrowing import managed
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
    assert staleness(plan, again) == [
        "what apply would do changed since the plan was made",
        "Smartlead changed",
    ]


def test_a_change_to_one_live_lead_moves_the_live_fingerprint() -> None:
    wanted, live = scenario()
    key = next(iter(managed(live[0].leads)))
    lead = replace(managed(live[0].leads)[key], last_name="Changed in the UI")
    touched = [replace(live[0], leads={**managed(live[0].leads), key: lead}), *live[1:]]
    assert plan_for(wanted, touched).live_fingerprint != plan_for(wanted, live).live_fingerprint


def test_a_file_change_moves_the_desired_fingerprint_only() -> None:
    wanted, live = scenario()
    plan = plan_for(wanted, live)
    edited = [edit(wanted[0], status=Status.PAUSED), *wanted[1:]]
    again = plan_for(edited, live)
    assert again.live_fingerprint == plan.live_fingerprint
    assert staleness(plan, again) == [
        "what apply would do changed since the plan was made",
        "the campaign files or lead files changed",
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


# ----- stale by meaning: what apply would do, not whether anything moved ---------------------


def test_a_lead_added_in_the_ui_to_a_campaign_that_does_not_prune_is_not_stale() -> None:
    wanted, live = scenario()
    plan = plan_for(wanted, live)
    extra = Lead("added.by.hand@elsewhere.example", first_name="Hand", id=2**31 + 999)
    touched = [replace(live[0], leads={**managed(live[0].leads), extra.key: extra}), *live[1:]]
    again = plan_for(wanted, touched)
    assert again.live_fingerprint != plan.live_fingerprint
    assert again.fingerprint == plan.fingerprint
    assert staleness(plan, again) == []


def test_live_values_apply_only_carries_along_do_not_make_a_plan_stale() -> None:
    """Step ids (recreated in the UI with the same text), an unmanaged custom field of a lead
    being updated, a sender's display name: apply writes the same."""
    wanted, live = scenario()
    plan = plan_for(wanted, live)
    outbound = live[0]
    steps = tuple(replace(s, id=(s.id or 0) + 50) for s in outbound.sequence or ())
    key = "person2@acme.example"
    lead = managed(outbound.leads)[key]
    lead = replace(lead, custom_fields=(*lead.custom_fields, ("Notes", "typed in the UI")))
    touched = replace(outbound, sequence=steps, leads={**managed(outbound.leads), key: lead})
    again = plan_for(wanted, [touched, *live[1:]])
    assert again.live_fingerprint != plan.live_fingerprint
    assert staleness(plan, again) == []


def test_a_file_edit_that_plans_the_same_changes_is_not_stale() -> None:
    wanted, live = scenario()
    plan = plan_for(wanted, live)
    moved = [replace(wanted[0], source="campaigns/moved/q3.yaml"), *wanted[1:]]
    noted = [replace(moved[0], previous_names=("A name never used",)), *moved[1:]]
    again = plan_for(noted, live)
    assert again.desired_fingerprint != plan.desired_fingerprint
    assert staleness(plan, again) == []


def test_a_ui_edit_of_a_field_the_plan_does_not_touch_is_stale_and_says_what_is_new() -> None:
    wanted, live = scenario()
    plan = plan_for(wanted, live)
    evergreen = live[-1]
    assert not plan.campaigns[-1].changes
    touched = replace(evergreen, settings=replace(evergreen.settings, follow_up_percentage=90))
    again = plan_for(wanted, [*live[:-1], touched])
    assert staleness(plan, again)[0] == "what apply would do changed since the plan was made"
    found = since_review(plan, again)
    assert found.added == ("Evergreen: ~ settings: follow_up_percentage: 90 -> 40",)
    assert found.dropped == ()


def test_a_reviewed_before_value_that_moved_is_stale() -> None:
    """The reviewer approved overwriting one value; another one would be overwritten now."""
    wanted, live = scenario()
    plan = plan_for(wanted, live)
    outbound = live[0]
    touched = replace(outbound, settings=replace(outbound.settings, track_opens=None))
    again = plan_for(wanted, [touched, *live[1:]])
    found = since_review(plan, again)
    assert staleness(plan, again)
    assert (found.added, found.dropped) == ((), ())
    assert found.changed == (
        "Q3 outbound: ~ settings: track_opens: (unset) -> true (reviewed: false -> true)",
    )


def test_a_body_both_plans_change_is_one_line_that_names_the_side_and_shows_no_text() -> None:
    wanted, live = scenario()
    plan = plan_for(wanted, live)
    outbound = live[0]
    steps = list(outbound.sequence or ())
    steps[1] = replace(steps[1], body="<p>Edited in the UI</p>")
    again = plan_for(wanted, [replace(outbound, sequence=tuple(steps)), *live[1:]])
    found = since_review(plan, again)
    assert (found.added, found.dropped) == ((), ())
    assert found.changed == (
        "Q3 outbound: ~ sequence: step 2.body: the live text differs from the reviewed plan",
    )
    rewritten = [replace(s, body="<p>New in the file</p>") if s.number == 2 else s
                 for s in wanted[0].state.sequence or ()]  # fmt: skip
    both = plan_for([edit(wanted[0], sequence=tuple(rewritten)), *wanted[1:]],
                    [replace(outbound, sequence=tuple(steps)), *live[1:]])  # fmt: skip
    assert since_review(plan, both).changed == (
        "Q3 outbound: ~ sequence: step 2.body: the live text and the text to write differ "
        "from the reviewed plan",
    )


def test_lead_data_behind_the_same_count_is_stale_though_it_reads_the_same() -> None:
    wanted, live = scenario()
    plan = plan_for(wanted, live)
    outbound = wanted[0]
    key = "person1@globex.example"
    lead = replace(managed(outbound.state.leads)[key], first_name="Renamed in the CSV")
    again = plan_for(
        [edit(outbound, leads={**managed(outbound.state.leads), key: lead}), *wanted[1:]], live
    )
    assert staleness(plan, again)
    assert since_review(plan, again).looks_the_same


def test_a_plan_read_back_from_its_file_compares_like_the_plan_itself() -> None:
    wanted, live = scenario()
    plan = plan_for(wanted, live)
    saved = Plan.from_json(plan.to_json())
    assert staleness(saved, plan) == []
    assert since_review(saved, plan).looks_the_same
