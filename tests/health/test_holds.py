"""Plan and guards on the emulator in process: analytics are read only for a campaign a guard
may be holding paused, a tripped guard holds it, and an untrusted answer never resumes it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from smartlead_sync.desired import DesiredProject, load_desired
from smartlead_sync.emulator import Emulator, Faults
from smartlead_sync.errors import SyncError
from smartlead_sync.health.spec import GuardMetric, GuardSpec
from smartlead_sync.plan.change_kinds import ChangeKind
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.state import Status
from smartlead_sync.tool_settings import ToolSettings
from tests.emulated import converge, new_emulator, provider_on
from tests.health.projects import SIMPLE_STEP, write_project
from tests.plan.factories import FakeReader, as_live, desired

ANALYTICS = "GET /campaigns/{campaign_id}/analytics"


def _plan(emulator: Emulator, project: DesiredProject) -> Plan:
    with provider_on(emulator) as provider:
        return make_plan(provider, project.campaigns, project.tool)


@pytest.fixture
def account(tmp_path: Path) -> tuple[Emulator, DesiredProject, dict[str, int]]:
    root = write_project(tmp_path, {"One": SIMPLE_STEP, "Two": SIMPLE_STEP})
    project = load_desired(root, env={})
    emulator = new_emulator()
    with provider_on(emulator) as provider:
        converge(provider, project.campaigns, project.tool)
        ids = {s.name: s.id for s in provider.list_campaigns()}
    emulator.simulate_sends(ids["One"], 200, bounces=40)
    return emulator, project, ids


def test_plan_reads_no_analytics_while_every_campaign_runs(
    account: tuple[Emulator, DesiredProject, dict[str, int]],
) -> None:
    emulator, project, _ = account
    emulator.reset_stats()
    plan = _plan(emulator, project)
    assert not plan.has_changes and not plan.warnings
    assert emulator.stats().requests_by_route.get(ANALYTICS, 0) == 0


def test_a_paused_campaign_is_held_only_while_its_guard_trips(
    account: tuple[Emulator, DesiredProject, dict[str, int]],
) -> None:
    emulator, project, ids = account
    emulator.set_campaign_status(ids["One"], "PAUSED")
    emulator.set_campaign_status(ids["Two"], "PAUSED")
    emulator.reset_stats()
    plan = _plan(emulator, project)
    by_name = {c.name: c for c in plan.campaigns}
    assert by_name["One"].changes == ()
    assert [c.kind for c in by_name["Two"].changes] == [ChangeKind.SET_STATUS]  # Two is healthy
    assert plan.warnings == (
        "'One' is held paused by guard: bounce_rate 20.00 % > 5 % (40 of 200, 200 emails sent, "
        "whole campaign). To resume, raise the threshold or add `acknowledged: <date>` to the "
        "guard",
    )
    assert emulator.stats().requests_by_route[ANALYTICS] == 2  # one per paused campaign


def test_an_unusable_analytics_answer_stops_the_plan_rather_than_resume(
    account: tuple[Emulator, DesiredProject, dict[str, int]],
) -> None:
    emulator, project, ids = account
    emulator.set_campaign_status(ids["One"], "PAUSED")
    emulator.set_faults(Faults(server_error_rate=1.0, routes=frozenset({ANALYTICS})))
    with pytest.raises(SyncError):
        _plan(emulator, project)


def test_a_reader_without_analytics_holds_rather_than_resumes() -> None:
    want = replace(
        desired("Guarded"), guards=(GuardSpec(metric=GuardMetric.BOUNCE_RATE, threshold=5),)
    )
    live = replace(as_live(want.state, 7), status=Status.PAUSED)
    plan = make_plan(FakeReader([live]), [want], ToolSettings())
    assert not plan.has_changes
    assert plan.warnings == (
        "'Guarded' is held paused by guard: its guards' analytics cannot be read here. To "
        "resume, raise the threshold or add `acknowledged: <date>` to the guard",
    )
