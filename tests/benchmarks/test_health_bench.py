"""Health benchmarks: API calls a guard run reads per active campaign (it must not grow with
the emails sent), what plan adds for guards, and what an A/B verdict reads.

SMARTLEAD_BENCH_SCALE multiplies the number of campaigns (default 20).
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from smartlead_sync.desired import load_desired
from smartlead_sync.health.ab_check import check_ab
from smartlead_sync.health.check import check_guards
from smartlead_sync.plan.identity import resolve_identities
from smartlead_sync.plan.planning import make_plan
from tests.benchmarks.conftest import Report
from tests.emulated import converge, new_emulator, provider_on
from tests.health.projects import AB_STEP, SIMPLE_STEP, write_project

SCALE = float(os.environ.get("SMARTLEAD_BENCH_SCALE", "1"))
CAMPAIGNS = max(2, int(20 * SCALE))
GUARDS = """\
guards:
  - {metric: bounce_rate, threshold: 5, min_sent: 100}
  - {metric: unsubscribe_rate, threshold: 1, min_sent: 100}
  - {metric: reply_rate, threshold: 0.5, min_sent: 200}
  - {metric: bounce_rate, threshold: 3, min_sent: 50, window_days: 7}
"""

pytestmark = pytest.mark.benchmark


def test_guard_reads_a_constant_number_of_calls_per_active_campaign(
    tmp_path: Path, report: Report
) -> None:
    files = {f"C{i:03d}": SIMPLE_STEP + GUARDS for i in range(CAMPAIGNS)}
    project = load_desired(write_project(tmp_path, files), env={})
    emulator = new_emulator()
    today = datetime.now(timezone.utc).date()
    with provider_on(emulator) as provider:
        converge(provider, project.campaigns, project.tool)
        ids = [s.id for s in provider.list_campaigns()]
        for n, campaign_id in enumerate(ids):  # from 100 to ~5,000 emails sent
            emulator.simulate_sends(campaign_id, 100 + 250 * (n % 20), bounces=2)
        emulator.reset_stats()
        started = time.perf_counter()
        resolution = resolve_identities(project.campaigns, provider.list_campaigns())
        result = check_guards(resolution.matches, provider.read_counts, today)
        seconds = time.perf_counter() - started
        calls = emulator.stats().total_requests
        per_campaign = (calls - 1) / len(result.campaigns)
        report(
            f"guard: {len(result.campaigns)} active campaigns x 4 guards (2 periods), "
            f"{calls} calls = 1 list + {per_campaign:g} per campaign, "
            f"whatever the emails sent (100 to {100 + 250 * 19}); {seconds:.2f} s on the emulator"
        )
        assert per_campaign == 2

        emulator.reset_stats()
        make_plan(provider, project.campaigns, project.tool)
        running = emulator.stats().requests_by_route
        for campaign_id in ids[: len(ids) // 2]:
            emulator.set_campaign_status(campaign_id, "PAUSED")
        emulator.reset_stats()
        make_plan(provider, project.campaigns, project.tool)
        paused = emulator.stats().requests_by_route
    analytics = "GET /campaigns/{campaign_id}/analytics"
    extra = sum(paused.values()) - sum(running.values())
    report(
        f"plan: {running.get(analytics, 0)} analytics calls with every campaign running; "
        f"{extra} more with {len(ids) // 2} paused by hand "
        f"({paused.get(analytics, 0)} /analytics + "
        f"{paused.get(analytics + '-by-date', 0)} /analytics-by-date)"
    )


def test_an_ab_verdict_reads_the_sequence_and_a_statistics_page_per_1000_emails(
    tmp_path: Path, report: Report
) -> None:
    files = {"Opener": AB_STEP.format(on_winner="winner_to_100")}
    project = load_desired(write_project(tmp_path, files), env={})
    emulator = new_emulator()
    with provider_on(emulator) as provider:
        converge(provider, project.campaigns, project.tool)
        campaign_id = provider.list_campaigns()[0].id
        for label in ("A", "B"):
            emulator.simulate_sends(campaign_id, 2500, variant_label=label, replies=60)
        emulator.reset_stats()
        started = time.perf_counter()
        resolution = resolve_identities(project.campaigns, provider.list_campaigns())
        runs = check_ab(project, resolution.matches, provider.client)
        seconds = time.perf_counter() - started
    by_route = emulator.stats().requests_by_route
    pages = by_route["GET /campaigns/{campaign_id}/statistics"]
    report(
        f"ab: 5,000 emails of a tested step: 1 list + "
        f"{by_route['GET /campaigns/{campaign_id}/sequences']} sequence read + {pages} statistics "
        f"pages; verdict '{runs[0].verdict.message if runs[0].verdict else '-'}' in {seconds:.2f} s"
    )
    assert pages == 5  # 5,000 rows, a page of 1,000 at a time
