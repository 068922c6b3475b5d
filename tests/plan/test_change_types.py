"""The change types are a closed set: one per kind, each with its own place in the apply
order, and a plan read back from its file answers every question about a change as the
runnable plan does."""

from __future__ import annotations

from typing import get_args

from smartlead_sync.plan.change_kinds import (
    ChangeKind,
    adds_object,
    is_irreversible,
    stops_campaign,
    takes_off_object,
)
from smartlead_sync.plan.changes import Change, in_apply_order
from smartlead_sync.plan.plan_file import plan_from_json
from smartlead_sync.state import Status
from tests.plan.factories import as_live, desired, edit, plan_for
from tests.plan.scenario import scenario_plan

TYPES = get_args(Change)


def test_every_kind_has_exactly_one_change_type() -> None:
    assert sorted(t.kind.value for t in TYPES) == sorted(k.value for k in ChangeKind)


def test_ranks_order_the_types_totally() -> None:
    assert len({t.rank for t in TYPES}) == len(TYPES)


def test_every_campaign_plan_is_in_apply_order() -> None:
    plan = scenario_plan()
    assert {c.kind for campaign in plan.campaigns for c in campaign.changes} >= {
        ChangeKind.PAUSE,
        ChangeKind.SAVE_SEQUENCE,
        ChangeKind.SET_STATUS,
    }
    for campaign in plan.campaigns:
        assert in_apply_order(campaign.changes) == campaign.changes


def test_a_saved_plan_answers_every_question_as_the_runnable_plan() -> None:
    wanted = desired("Halted", n_leads=3)
    live = as_live(wanted.state, 42)
    stop = plan_for([edit(wanted, status=Status.STOPPED)], [live])
    for plan in (scenario_plan(), stop):
        saved = plan_from_json(plan.to_json())
        for campaign, again in zip(plan.campaigns, saved.campaigns, strict=True):
            for question in (stops_campaign, is_irreversible, adds_object, takes_off_object):
                assert [question(c) for c in again.changes] == [
                    question(c) for c in campaign.changes
                ]
    assert any(stops_campaign(c) for c in stop.campaigns[0].changes)
