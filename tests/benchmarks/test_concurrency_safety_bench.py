"""What the concurrency safety costs on a 20-campaign apply: settling every campaign and webhook
create against a concurrent run (smartlead/claims.py: the list after the wave of campaign
creates, which the apply makes anyway to read the new ids back, and one webhook list after each
webhook create), against the same apply without it.

Each side applies the same fresh project to its own fresh emulator account at the strict
profile, compressed by TIME_SCALE on both sides. Prints calls, wall seconds and their ratios.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from smartlead_sync.apply.run import ApplyContext, apply_plan
from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.tool_settings import Bucket
from tests.apply.projects import write_project
from tests.benchmarks.conftest import Report
from tests.emulated import provider_on

pytestmark = pytest.mark.benchmark

CAMPAIGNS = 20
LEADS = 20
TIME_SCALE = 25.0


def _apply(project: Path, *, guarded: bool) -> tuple[int, float, int]:
    """(calls, wall seconds, campaigns afterwards) of one apply on a fresh account."""
    emulator = Emulator(EmulatorConfig(time_scale=TIME_SCALE))
    desired = load_desired(project, env={})
    try:
        with provider_on(emulator) as provider:
            provider.guard_concurrent_runs = guarded
            plan = make_plan(provider, desired.campaigns, desired.tool)
            started = time.monotonic()
            report = apply_plan(
                plan, desired.campaigns, ApplyContext(provider, desired.tool, time_scale=TIME_SCALE)
            )
            seconds = time.monotonic() - started
            assert report.exit_code == 0
            calls = provider.client.stats.calls[Bucket.GLOBAL]
            return calls, seconds, len(provider.list_campaigns())
    finally:
        emulator.close()


def test_cost_of_the_concurrency_safety_on_a_20_campaign_apply(
    tmp_path: Path, report: Report
) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=CAMPAIGNS, leads=LEADS)
    plain_calls, plain_seconds, plain_count = _apply(project, guarded=False)
    safe_calls, safe_seconds, safe_count = _apply(project, guarded=True)

    assert plain_count == safe_count == CAMPAIGNS
    report(
        f"concurrency safety, {CAMPAIGNS}-campaign apply (time scale {TIME_SCALE:g}): "
        f"calls {safe_calls} vs {plain_calls} without (x{safe_calls / plain_calls:.2f}, "
        f"+{safe_calls - plain_calls}); wall {safe_seconds:.1f}s vs {plain_seconds:.1f}s "
        f"(x{safe_seconds / plain_seconds:.2f}; {safe_seconds * TIME_SCALE:.0f}s vs "
        f"{plain_seconds * TIME_SCALE:.0f}s at real limits)"
    )
