"""Scheduling across rate-limit buckets: when the campaign-write bucket is the bottleneck, the
first campaigns get through their campaign writes and upload their leads while later campaigns
still wait for campaign-write slots, instead of every campaign advancing in step and the lead
bucket idling until the last settings are written. Ordering is read from the emulator's request
log; nothing here measures wall-clock time."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

from smartlead_sync.apply.run import ApplyContext, apply_plan
from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.emulator.stats import RequestLogEntry
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.tool_settings import RATE_LIMIT_PROFILES, Bucket, Window
from tests.apply.projects import campaign_yaml, write_leads, write_project
from tests.emulated import UNLIMITED, converge, provider_on

CAMPAIGNS = 6
# Four campaign writes per (scaled) minute against 18 to make: the bottleneck by far.
SCARCE = RATE_LIMIT_PROFILES["strict"].with_categories({Bucket.CAMPAIGN_WRITE: (Window(4, 60),)})
TIME_SCALE = 600.0  # a minute of rate limit in 0.1 s


def _edit(project: Path) -> None:
    """Per campaign: new settings, schedule and sequence (3 campaign writes) and 5 new leads."""
    settings = project / "smartlead-sync.yaml"
    text = settings.read_text().replace("campaigns: 4", "campaigns: 8")  # all side by side
    text = text.replace("max_new_leads_per_day: 50", "max_new_leads_per_day: 60")
    settings.write_text(text.replace("follow_up_percentage: 40", "follow_up_percentage: 50"))
    for index in range(CAMPAIGNS):
        yaml = campaign_yaml(index, status="paused", subject="Another question")
        (project / f"campaign-{index:02d}.yaml").write_text(yaml)
        write_leads(project, index, 5, start=0)


def _campaign_of(entry: RequestLogEntry) -> int:
    return int(entry.path.split("/")[4])


def test_first_campaigns_upload_leads_while_later_ones_wait_for_campaign_writes(
    tmp_path: Path,
) -> None:
    project = write_project(tmp_path, campaigns=CAMPAIGNS, leads=0, status="paused")
    emulator = Emulator(EmulatorConfig(time_scale=TIME_SCALE))
    try:
        with provider_on(emulator, UNLIMITED) as provider:
            desired = load_desired(project, env={})
            converge(provider, desired.campaigns, desired.tool)
        _edit(project)
        desired = load_desired(project, env={})
        emulator.reset_stats()
        with provider_on(emulator, SCARCE) as provider:
            plan = make_plan(provider, desired.campaigns, desired.tool)
            tool = replace(desired.tool, rate_limits=SCARCE)
            report = apply_plan(plan, desired.campaigns, ApplyContext(provider, tool))
        log = sorted(emulator.stats().log, key=lambda e: e.seq)
    finally:
        emulator.close()
    assert report.exit_code == 0
    writes = [e for e in log if "campaign_write" in e.buckets]
    uploads = [e for e in log if e.route == "POST /campaigns/{campaign_id}/leads"]
    assert (len(writes), len(uploads)) == (3 * CAMPAIGNS, CAMPAIGNS)
    rank = {c.live_id: i for i, c in enumerate(plan.campaigns)}
    first_upload = uploads[0].seq
    # The first campaign in the plan uploads its leads before the last two write anything.
    assert rank[_campaign_of(uploads[0])] == 0
    late = [e for e in writes if rank[_campaign_of(e)] >= CAMPAIGNS - 2]
    assert all(e.seq > first_upload for e in late)
    # Campaigns finish their writes in plan order (all but the odd neighbour swap).
    finished = [max(e.seq for e in writes if _campaign_of(e) == c.live_id) for c in plan.campaigns]
    assert sum(a > b for a, b in itertools.pairwise(finished)) <= 1
