"""Call estimates, the rate-limit floor, and the safety rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smartlead_sync.plan.change_kinds import ChangeKind
from smartlead_sync.plan.estimate import OVERHEAD_SECONDS, describe_duration, duration_floor
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.safety import SafetyRule, safety_violations
from smartlead_sync.plan.thresholds import CampaignSafety, CountLimit, SafetyThresholds, ShareLimit
from smartlead_sync.state import LeadPolicy, Status
from smartlead_sync.tool_settings import (
    CATEGORY_WINDOWS,
    RATE_LIMIT_PROFILES,
    Bucket,
    RateLimits,
    Window,
)
from tests.narrowing import managed
from tests.plan.factories import as_live, desired, edit, leads, plan_for

STRICT = RATE_LIMIT_PROFILES["strict"]


@pytest.mark.parametrize(
    ("calls", "seconds"),
    [
        ({Bucket.GLOBAL: 10}, 0.0),  # one burst fits in the first window
        ({Bucket.GLOBAL: 11}, 2.0),  # the 11th waits for the 2 s window to slide
        ({Bucket.GLOBAL: 61}, 60.0),  # the 61st waits for the minute window
        # The 61st waits a minute, then calls 61..120 still need 5 x 2 s.
        ({Bucket.GLOBAL: 120, Bucket.LEAD_WRITE: 120}, 70.0),
        ({Bucket.GLOBAL: 204}, 184.0),  # 3 minutes, then 23 calls at 10 per 2 s
        ({Bucket.GLOBAL: 121, Bucket.LEAD_WRITE: 121}, 120.0),
        ({Bucket.GLOBAL: 31, Bucket.CAMPAIGN_WRITE: 31}, 6.0),  # no category bucket by default
    ],
)
def test_the_floor_is_the_slowest_window_of_any_bucket(
    calls: dict[Bucket, int], seconds: float
) -> None:
    assert duration_floor(calls, STRICT) == seconds


def _chain_by_steps(calls: int, windows: tuple[Window, ...]) -> float:
    """The floor computed the slow way: the longest chain over every count of calls."""
    best = [0.0] * max(calls, 1)
    for gaps in range(1, calls):
        best[gaps] = max(
            [best[gaps - 1]]
            + [best[gaps - w.limit] + w.seconds for w in windows if gaps >= w.limit]
        )
    return best[calls - 1] if calls > 0 else 0.0


@pytest.mark.parametrize(
    "windows",
    [
        (Window(10, 2), Window(60, 60)),
        (Window(20, 1), Window(120, 60), Window(3000, 3600)),
        (Window(7, 5), Window(13, 3)),
    ],
)
def test_the_floor_is_the_longest_chain_of_window_steps(windows: tuple[Window, ...]) -> None:
    limits = RateLimits({Bucket.GLOBAL: windows})
    for calls in [*range(300), 1001, 4321, 7777]:
        assert duration_floor({Bucket.GLOBAL: calls}, limits) == pytest.approx(
            _chain_by_steps(calls, windows)
        ), calls


def test_an_opted_in_category_bucket_sets_the_floor_when_it_is_slowest() -> None:
    limits = STRICT.with_categories(CATEGORY_WINDOWS)
    assert duration_floor({Bucket.GLOBAL: 31, Bucket.CAMPAIGN_WRITE: 31}, limits) == 60.0


def test_the_floor_follows_the_configured_limits() -> None:
    fast = RateLimits({Bucket.GLOBAL: (Window(100, 1),)})
    assert duration_floor({Bucket.GLOBAL: 250}, fast) == 2.0


def test_a_plan_counts_calls_per_bucket() -> None:
    plan = plan_for([desired(n_leads=250)], [], batch_size=100)
    calls = plan.estimate.calls
    # create, settings, schedule, sequence, mailboxes, status = 6 campaign writes
    assert calls[Bucket.CAMPAIGN_WRITE] == 6
    assert calls[Bucket.LEAD_WRITE] == 3
    assert calls[Bucket.WEBHOOK_WRITE] == 1
    # 10 writes and 6 reads: the campaign list and the mailbox list, the list that reads the
    # new id back, the webhook list that settles the webhook create against a concurrent
    # run, and the verification (a list and the saved sequence).
    assert calls[Bucket.GLOBAL] == 16
    assert plan.estimate.floor_seconds == 2.0 + OVERHEAD_SECONDS  # 16 calls: 10 per 2 s


def test_applying_a_subject_change_is_estimated_as_the_calls_it_makes() -> None:
    wanted = desired(n_leads=5)
    live = as_live(wanted.state, 1)
    steps = wanted.state.sequence
    assert steps is not None
    variants = (replace(steps[0].variants[0], subject="Another subject"), *steps[0].variants[1:])
    edited = edit(wanted, sequence=(replace(steps[0], variants=variants), *steps[1:]))
    plan = plan_for([edited], [live])
    # Read: list, sequence. Write: pause, save, restart. Verify: list, sequence.
    assert plan.estimate.calls[Bucket.GLOBAL] == 7


def test_lead_updates_cost_one_call_per_lead() -> None:
    wanted = desired(n_leads=5)
    live = as_live(wanted.state, 1)
    changed = {k: replace(v, first_name="Changed") for k, v in managed(wanted.state.leads).items()}
    plan = plan_for([edit(wanted, leads=changed)], [live])
    assert plan.estimate.calls[Bucket.LEAD_WRITE] == 5


def test_durations_read_well() -> None:
    assert describe_duration(0.2) == "under a second"
    assert describe_duration(40) == "~40 s"
    assert describe_duration(540) == "~9 min"
    assert describe_duration(7500) == "~2 h 5 min"


def test_stopping_needs_the_yaml_opt_in_and_the_flag() -> None:
    wanted = edit(desired(), status=Status.STOPPED)
    plan = plan_for([wanted], [as_live(desired().state, 1)])
    (violation,) = safety_violations(plan)
    assert violation.rule is SafetyRule.STOP_CAMPAIGN
    assert (
        "`allow_stop: true` in campaigns/q3-outbound.yaml and --allow-destroy" in violation.opt_in
    )
    assert safety_violations(plan, allow_destroy=True) != ()
    opted = plan_for([replace(wanted, allow_stop=True)], [as_live(desired().state, 1)])
    assert safety_violations(opted, allow_destroy=True) == ()
    assert [v.opt_in for v in safety_violations(opted)] == ["--allow-destroy"]


def test_deleting_and_pruning_need_the_flag() -> None:
    live = as_live(desired().state, 1)
    deleting = plan_for([replace(desired(), delete=True)], [live])
    assert [v.rule for v in safety_violations(deleting)] == [SafetyRule.DELETE_CAMPAIGN]
    pruning = replace(edit(desired(), leads=leads(2)), lead_policy=LeadPolicy(prune=True))
    (violation,) = safety_violations(plan_for([pruning], [live]))
    assert violation.rule is SafetyRule.REMOVE_LEADS
    assert "removing 3 lead(s)" in violation.message
    assert safety_violations(plan_for([pruning], [live]), allow_destroy=True) == ()


def test_changing_too_many_existing_campaigns_at_once_is_blocked() -> None:
    wanted = [desired(f"C{i}") for i in range(10)]
    live = [as_live(w.state, i + 1) for i, w in enumerate(wanted)]
    edited = [edit(w, status=Status.PAUSED) if i < 4 else w for i, w in enumerate(wanted)]
    plan = plan_for(edited, live)
    (violation,) = safety_violations(plan)
    assert violation.rule is SafetyRule.CAMPAIGN_SHARE
    assert "4 of 10 existing campaigns" in violation.message
    assert "over the limit of 30% (settings.safety.campaign_updates.max_share" in violation.message
    looser = SafetyThresholds(campaign_updates=ShareLimit(0.5, 10))
    assert safety_violations(replace(plan, safety=looser)) == ()


def test_drafted_campaigns_do_not_count_towards_the_campaign_share() -> None:
    """The re-run of an apply killed after its creates finds drafted campaigns to configure."""
    wanted = [desired(f"C{i}") for i in range(10)]
    live = [replace(as_live(w.state, i + 1), status=Status.DRAFTED) for i, w in enumerate(wanted)]
    plan = plan_for([edit(w, status=Status.PAUSED) for w in wanted], live)
    assert safety_violations(plan) == ()


def test_updating_too_many_existing_leads_at_once_is_blocked() -> None:
    wanted = desired(n_leads=200)
    live = as_live(wanted.state, 1)
    changed = {
        k: replace(v, company_name="New Co") if i < 100 else v
        for i, (k, v) in enumerate(managed(wanted.state.leads).items())
    }
    plan = plan_for([edit(wanted, leads=changed)], [live])
    (violation,) = safety_violations(plan)
    assert violation.rule is SafetyRule.LEAD_SHARE
    assert "100 of 200 existing leads" in violation.message
    assert plan.campaigns[0].lead_count(ChangeKind.UPDATE_LEADS) == 100


def _pruning(removed: int, safety: CampaignSafety | None = None) -> Plan:
    live = as_live(desired(n_leads=5 + removed).state, 1)
    wanted = replace(edit(desired(), leads=leads(5)), lead_policy=LeadPolicy(prune=True))
    return plan_for([replace(wanted, safety=safety)], [live])


def test_a_campaign_may_allow_some_removals_and_the_message_names_its_limit() -> None:
    allowed = CampaignSafety(lead_removals=CountLimit(3))
    assert safety_violations(_pruning(3, allowed)) == ()
    (violation,) = safety_violations(_pruning(4, allowed))
    assert violation.rule is SafetyRule.REMOVE_LEADS
    assert "removing 4 lead(s)" in violation.message
    assert (
        "over the limit of 3 per apply (safety in campaigns/q3-outbound.yaml)" in violation.message
    )
    needed = "`safety: {lead_removals: {max_count: 4}}` in campaigns/q3-outbound.yaml"
    assert violation.opt_in == f"--allow-destroy, or {needed}"


def test_the_project_removal_limit_applies_to_every_campaign() -> None:
    plan = _pruning(4)
    looser = replace(plan, safety=SafetyThresholds(lead_removals=CountLimit(10)))
    assert safety_violations(looser) == ()
    stricter = replace(plan, safety=SafetyThresholds(lead_removals=CountLimit(2)))
    (violation,) = safety_violations(stricter)
    assert "over the limit of 2 per apply (safety in settings of smartlead-sync.yaml)" in (
        violation.message
    )


def test_a_campaign_with_its_own_lead_limit_is_judged_alone() -> None:
    big = desired("Big", n_leads=200)
    small = desired("Small", n_leads=200)
    lives = [as_live(big.state, 1), as_live(small.state, 2)]
    renamed = {k: replace(v, company_name="New Co") for k, v in managed(big.state.leads).items()}
    edited = edit(big, leads=renamed)  # all 200 of Big's leads: 50% of the 400 pooled
    (pooled,) = safety_violations(plan_for([edited, small], lives))
    assert "200 of 400 existing leads are updated or removed at once (50%)" in pooled.message
    own = CampaignSafety(lead_updates=ShareLimit(1.0, 100))
    assert safety_violations(plan_for([replace(edited, safety=own)], lives)) == ()
    tight = CampaignSafety(lead_updates=ShareLimit(0.5, 100))
    (alone,) = safety_violations(plan_for([replace(edited, safety=tight), small], lives))
    assert alone.campaign == "Big"
    assert "200 of 200 existing leads of 'Big' are updated or removed at once (100%)" in (
        alone.message
    )
    assert "over its limit of 50% (safety.lead_updates.max_share in campaigns/" in alone.message


def test_allow_destroy_lifts_every_limit() -> None:
    plan = replace(_pruning(40), safety=SafetyThresholds(lead_removals=CountLimit(1)))
    assert safety_violations(plan, allow_destroy=True) == ()
