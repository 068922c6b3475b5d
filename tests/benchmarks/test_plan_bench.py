"""Plan benchmarks: API calls of a no-op plan against the number of leads, and the CPU time of
diffing a large repository.

Default sizes run in seconds; SMARTLEAD_BENCH_SCALE=10 gives the sizes of the issue
(50 campaigns x 2,000 leads on the emulator; the diff is always 1,000 campaigns x 200 leads
times the scale / 10, at least the default).
"""

from __future__ import annotations

import os
import time
from dataclasses import replace

import pytest

from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.state import CampaignState, DesiredCampaign, Lead
from smartlead_sync.tool_settings import ToolSettings
from tests.benchmarks.conftest import Report
from tests.emulated import FAST, converge, provider_on
from tests.plan.factories import FakeReader, as_live, state

SCALE = float(os.environ.get("SMARTLEAD_BENCH_SCALE", "1"))
TOOL = ToolSettings(lead_batch_size=400)
CAMPAIGNS = 50
READS_PER_CAMPAIGN = 6  # the target: campaign, sequence, mailboxes, webhooks, leads (+1 spare)

pytestmark = pytest.mark.benchmark


def lead_set(campaign: int, n: int, *, first_id: int | None = None) -> dict[str, Lead]:
    """`n` leads of one campaign; with `first_id`, as read live (ids from it upward)."""
    made = (
        Lead(
            f"lead{i}@c{campaign}.example.com",
            first_name=f"First{i}",
            company_name="Acme",
            custom_fields=(("Role", f"r{i % 7}"),),
            id=None if first_id is None else first_id + i,
        )
        for i in range(n)
    )
    return {lead.key: lead for lead in made}


def repository(campaigns: int, leads: int) -> list[DesiredCampaign]:
    """Realistic campaigns: settings, schedule, a two-step A/B sequence, mailboxes, a webhook."""
    made = []
    for c in range(campaigns):
        base = state(
            f"Bench {c}",
            n_leads=0,
            mailboxes=("alex@outreach-example.com", "sam@outreach-example.com"),
        )
        made.append(DesiredCampaign(replace(base, leads=lead_set(c, leads)), f"bench-{c}.yaml"))
    return made


def noop_plan_calls(leads: int) -> tuple[int, dict[str, int], float, bool]:
    """Seed an emulator with the repository, then count the calls of a plan with nothing to do."""
    emulator = Emulator(EmulatorConfig(time_scale=FAST, lead_batch_cap=400))
    desired = repository(CAMPAIGNS, leads)
    with provider_on(emulator, TOOL.rate_limits) as provider:
        converge(provider, desired, TOOL)
        emulator.reset_stats()
        started = time.process_time()
        plan = make_plan(provider, desired, TOOL)
        cpu = time.process_time() - started
    stats = emulator.stats()
    emulator.close()
    return stats.total_requests, stats.requests_by_route, cpu, plan.has_changes


def test_noop_plan_calls_do_not_grow_with_leads(report: Report) -> None:
    sizes = (20, max(200, int(200 * SCALE)))
    results = {n: noop_plan_calls(n) for n in sizes}
    for n, (calls, by_route, cpu, changes) in results.items():
        assert not changes
        per_campaign = sum(v for k, v in by_route.items() if "{campaign_id}" in k) / CAMPAIGNS
        constant = calls - per_campaign * CAMPAIGNS
        report(
            f"plan no-op, {CAMPAIGNS} campaigns x {n} leads: {calls} API calls "
            f"({per_campaign:g} per campaign + {constant:g}); plan CPU incl. emulator {cpu:.2f} s"
        )
    small, large = (results[n][0] for n in sizes)
    assert small == large
    assert large <= READS_PER_CAMPAIGN * CAMPAIGNS + 5


def _large_repository(
    campaigns: int, leads: int
) -> tuple[list[DesiredCampaign], list[CampaignState]]:
    desired = repository(campaigns, leads)
    live = [
        replace(
            as_live(replace(d.state, leads=None), 3_000_000 + i),
            leads=lead_set(i, leads, first_id=2**31 + i * leads),
        )
        for i, d in enumerate(desired)
    ]
    return desired, live


def test_diff_cpu_time_of_a_large_repository(report: Report) -> None:
    campaigns = int(1000 * max(1.0, SCALE / 10))
    leads = 200
    desired, live = _large_repository(campaigns, leads)
    started = time.process_time()
    noop = make_plan(FakeReader(live), desired, TOOL)
    noop_cpu = time.process_time() - started
    assert not noop.has_changes

    total = campaigns * leads
    report(
        f"diff {campaigns} campaigns x {leads} leads ({total:,} leads): no-op plan "
        f"{noop_cpu:.2f} s CPU ({noop_cpu / total * 1e6:.1f} us/lead, fingerprints included)"
    )
