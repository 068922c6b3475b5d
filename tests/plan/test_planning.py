"""Reading live state: once for the list, in depth only for declared campaigns."""

from __future__ import annotations

from dataclasses import replace

from smartlead_sync.plan.planning import make_plan
from smartlead_sync.tool_settings import ToolSettings
from tests.plan.factories import FakeReader, as_live, desired, edit


def test_only_declared_campaigns_are_read_in_depth() -> None:
    wanted = [desired("Alpha"), desired("Beta")]
    live = [as_live(wanted[0].state, 1), as_live(desired("Other").state, 2)]
    reader = FakeReader(live)
    make_plan(reader, wanted, ToolSettings())
    assert reader.reads == ["list_campaigns", "list_mailboxes", "read_campaign:1:leads"]


def test_leads_are_read_only_when_a_file_manages_them() -> None:
    wanted = edit(desired("Alpha"), leads=None, mailboxes=None)
    reader = FakeReader([as_live(desired("Alpha").state, 1)])
    plan = make_plan(reader, [wanted], ToolSettings())
    assert reader.reads == ["list_campaigns", "read_campaign:1:no-leads"]
    assert plan.campaigns[0].live_lead_count is None


def test_a_campaign_marked_for_deletion_is_not_read_in_depth() -> None:
    reader = FakeReader([as_live(desired("Alpha").state, 1)])
    plan = make_plan(reader, [replace(desired("Alpha"), delete=True)], ToolSettings())
    assert "read_campaign:1:leads" not in reader.reads
    assert plan.campaigns[0].live_id == 1


def test_progress_is_reported_per_campaign_read() -> None:
    wanted = [desired(f"C{i}") for i in range(3)]
    reader = FakeReader([as_live(w.state, i + 1) for i, w in enumerate(wanted)])
    seen: list[tuple[int, int, str]] = []
    make_plan(reader, wanted, ToolSettings(), progress=lambda *a: seen.append(a))
    assert seen == [(1, 3, "C0"), (2, 3, "C1"), (3, 3, "C2")]


def test_a_live_campaign_read_back_with_no_steps_while_active_warns() -> None:
    wanted = desired("Alpha")
    live = replace(as_live(wanted.state, 1), sequence=())
    plan = make_plan(FakeReader([live]), [wanted], ToolSettings())
    (warning,) = plan.warnings
    assert "returned no sequence steps" in warning
