"""The time estimate with per-category windows: the apply's schedule replayed, not only the
slowest bucket's floor (a campaign's calls go in order; the creates go first)."""

from __future__ import annotations

from smartlead_sync.plan.estimate import OVERHEAD_SECONDS, duration_floor
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.plan.schedule import CampaignCalls, scheduled_seconds
from smartlead_sync.tool_settings import (
    CATEGORY_WINDOWS,
    RATE_LIMIT_PROFILES,
    Bucket,
    RateLimits,
    ToolSettings,
    Window,
)
from tests.plan.factories import FakeReader, desired

STRICT = RATE_LIMIT_PROFILES["strict"]


def test_the_replay_waits_for_the_creates_and_each_campaign_order() -> None:
    limits = RateLimits({Bucket.GLOBAL: (Window(2, 10),), Bucket.CAMPAIGN_WRITE: (Window(1, 10),)})
    campaign = CampaignCalls((Bucket.CAMPAIGN_WRITE, Bucket.LEAD_WRITE), creates=True)
    # Creates at 0 and 10, the list reading them back at 10, both uploads at 20 (two per
    # 10 s), the verification list at 30; the slowest bucket alone says 20 (6 calls, 2 per 10 s).
    assert scheduled_seconds(0, [campaign, campaign], limits, concurrency=4) == 30.0
    assert duration_floor({Bucket.GLOBAL: 6, Bucket.CAMPAIGN_WRITE: 2}, limits) == 20.0


def test_the_replay_runs_no_more_campaigns_at_once_than_allowed() -> None:
    limits = RateLimits({Bucket.GLOBAL: (Window(100, 1),), Bucket.LEAD_WRITE: (Window(1, 10),)})
    slow = CampaignCalls((Bucket.LEAD_WRITE, Bucket.LEAD_WRITE, Bucket.LEAD_WRITE))
    quick = CampaignCalls((Bucket.GLOBAL,))
    # One at a time, the quick campaign waits behind the slow one's uploads (at 0, 10, 20).
    assert scheduled_seconds(0, [slow, quick], limits, concurrency=1) == 20.0
    assert scheduled_seconds(0, [slow, quick], limits, concurrency=2) == 20.0
    assert scheduled_seconds(0, [quick, slow], limits, concurrency=1) == 20.0


def test_the_plan_estimate_uses_the_replay_only_with_category_windows() -> None:
    campaigns = [desired(f"Campaign {i:02d}", n_leads=5) for i in range(20)]
    per_key = make_plan(FakeReader([]), campaigns, ToolSettings(rate_limits=STRICT)).estimate
    categories = STRICT.with_categories(CATEGORY_WINDOWS)
    opted = make_plan(FakeReader([]), campaigns, ToolSettings(rate_limits=categories)).estimate
    assert per_key.calls == opted.calls
    assert per_key.floor_seconds == duration_floor(per_key.calls, STRICT) + OVERHEAD_SECONDS
    # 204 calls at 60 a minute (184 s) and 120 campaign writes at 30 a minute (180 s): both
    # buckets would have to be busy from the start, but the 20 creates take two thirds of the
    # first minute's campaign writes and no campaign uploads leads before its own are done.
    floor = duration_floor(opted.calls, categories)
    assert (floor, duration_floor({Bucket.CAMPAIGN_WRITE: 120}, categories)) == (184.0, 180.0)
    assert opted.floor_seconds > floor + 5 + OVERHEAD_SECONDS
