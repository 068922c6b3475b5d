"""API calls a plan needs per rate-limit bucket, and the least time they take at given limits.

Shared by `plan` (the summary line), `apply` (its report) and the benchmarks (wall time against
the floor), so that all three speak of the same floor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from smartlead_sync.plan.change_kinds import ChangeKind
from smartlead_sync.plan.changes import Change, RemoveLeadsChange, UpdateLeadsChange
from smartlead_sync.plan.payloads import LeadRemovals, LeadUpdates
from smartlead_sync.plan.plan_model import CallEstimate, ShownCampaignPlan
from smartlead_sync.plan.plan_types import CampaignPlan
from smartlead_sync.plan.schedule import CampaignCalls, scheduled_seconds
from smartlead_sync.state import CampaignPart
from smartlead_sync.tool_settings import Bucket, RateLimits

_WRITE_BUCKET: dict[ChangeKind, Bucket] = {
    ChangeKind.CREATE_CAMPAIGN: Bucket.CAMPAIGN_WRITE,
    ChangeKind.PAUSE: Bucket.CAMPAIGN_WRITE,
    ChangeKind.RENAME: Bucket.CAMPAIGN_WRITE,
    ChangeKind.UPDATE_SETTINGS: Bucket.CAMPAIGN_WRITE,
    ChangeKind.UPDATE_SCHEDULE: Bucket.CAMPAIGN_WRITE,
    ChangeKind.SAVE_SEQUENCE: Bucket.CAMPAIGN_WRITE,
    ChangeKind.ATTACH_MAILBOXES: Bucket.CAMPAIGN_WRITE,
    ChangeKind.DETACH_MAILBOXES: Bucket.CAMPAIGN_WRITE,
    ChangeKind.CREATE_WEBHOOK: Bucket.WEBHOOK_WRITE,
    ChangeKind.UPDATE_WEBHOOK: Bucket.WEBHOOK_WRITE,
    ChangeKind.DELETE_WEBHOOK: Bucket.WEBHOOK_WRITE,
    ChangeKind.ADD_LEADS: Bucket.LEAD_WRITE,
    ChangeKind.UPDATE_LEADS: Bucket.LEAD_WRITE,
    ChangeKind.REMOVE_LEADS: Bucket.LEAD_WRITE,
    ChangeKind.SET_STATUS: Bucket.CAMPAIGN_WRITE,
    ChangeKind.DELETE_CAMPAIGN: Bucket.CAMPAIGN_WRITE,
}


def write_bucket(kind: ChangeKind) -> Bucket:
    """The write bucket a change's calls count against (besides GLOBAL)."""
    return _WRITE_BUCKET[kind]


def calls_for(change: Change) -> int:
    """API write calls one change needs: one, except lead updates and removals (one per lead)."""
    match change:
        case UpdateLeadsChange(LeadUpdates(updates=updates)):
            return len(updates)
        case RemoveLeadsChange(LeadRemovals(leads=leads)):
            return len(leads)
    return 1


def count_calls(changes: Iterable[Change]) -> dict[Bucket, int]:
    """Calls per bucket; GLOBAL counts every call (every call also spends the global limit)."""
    calls: Counter[Bucket] = Counter()
    for change in changes:
        n = calls_for(change)
        calls[write_bucket(change.kind)] += n
        calls[Bucket.GLOBAL] += n
    return {bucket: calls[bucket] for bucket in Bucket if calls[bucket]}


def duration_floor(calls: Mapping[Bucket, int], limits: RateLimits) -> float:
    """Least seconds `calls` can take: in a sliding window of L calls per S seconds, call k + L
    comes at least S after call k, so n calls span at least a chain of such steps from the first
    to the last; the windows of a bucket chain together (the 184th call of a 10-per-2-s and
    60-per-60-s bucket waits 3 x 60 s and then 2 x 2 s), and the slowest bucket is the floor."""
    floor = 0.0
    for bucket, n in calls.items():
        steps = [(w.limit, float(w.seconds)) for w in limits.windows(bucket) if w.limit > 0]
        steps.sort(key=lambda step: step[1] / step[0], reverse=True)  # densest first
        if n > 1 and steps:
            floor = max(floor, _longest_chain(n - 1, steps))
    return floor


def _longest_chain(gaps: int, steps: Sequence[tuple[int, float]]) -> float:
    """Most seconds `gaps` calls after the first can be forced to span, by steps of
    (calls, seconds), densest (seconds per call) first. An optimum uses each sparser step fewer
    than `calls` of the densest times (that many are worth fewer seconds than the densest steps
    they could be swapped for), so only the top few counts of the densest step are tried."""
    (limit, seconds), rest = steps[0], steps[1:]
    most = gaps // limit
    if not rest:
        return most * seconds
    fewest = max(0, most - sum(lim for lim, _ in rest) - 1)
    return max(
        k * seconds + _longest_chain(gaps - k * limit, rest) for k in range(fewest, most + 1)
    )


# The parts of a campaign each kind of change writes: what `apply --plan` reads again.
PART_WRITTEN: dict[ChangeKind, CampaignPart] = {
    ChangeKind.SAVE_SEQUENCE: CampaignPart.SEQUENCE,
    ChangeKind.ATTACH_MAILBOXES: CampaignPart.MAILBOXES,
    ChangeKind.DETACH_MAILBOXES: CampaignPart.MAILBOXES,
    ChangeKind.CREATE_WEBHOOK: CampaignPart.WEBHOOKS,
    ChangeKind.UPDATE_WEBHOOK: CampaignPart.WEBHOOKS,
    ChangeKind.DELETE_WEBHOOK: CampaignPart.WEBHOOKS,
    ChangeKind.ADD_LEADS: CampaignPart.LEADS,
    ChangeKind.UPDATE_LEADS: CampaignPart.LEADS,
    ChangeKind.REMOVE_LEADS: CampaignPart.LEADS,
}
# Writes whose answer confirms nothing ("success", "ok"): their part is read back after apply.
# The others are confirmed by their answers (apply/verify.py), and every campaign's row by one
# campaign list.
READ_BACK: dict[ChangeKind, CampaignPart] = {
    kind: PART_WRITTEN[kind]
    for kind in (
        ChangeKind.SAVE_SEQUENCE,
        ChangeKind.DETACH_MAILBOXES,
        ChangeKind.DELETE_WEBHOOK,
        ChangeKind.UPDATE_LEADS,
        ChangeKind.REMOVE_LEADS,
    )
}
# Start-up, loading the files and the last answers: beyond the rate-limit floor, measured on
# the benchmarks (tests/benchmarks/test_apply_benchmark.py).
OVERHEAD_SECONDS = 1.0


def touched_parts(campaign: ShownCampaignPlan) -> frozenset[CampaignPart]:
    """The parts of a campaign the plan's changes write (its list row is read in any case)."""
    return frozenset(PART_WRITTEN[c.kind] for c in campaign.changes if c.kind in PART_WRITTEN)


def apply_reads(campaigns: Sequence[ShownCampaignPlan]) -> int:
    """The reads `apply --plan` makes around the writes: the campaign list and what the
    changes touch (the mailbox list when one attaches), one list after the new campaigns'
    creates, one webhook list after each webhook create, and the verification (one list, plus
    the parts no answer confirms)."""
    changed = [c for c in campaigns if c.changes]
    if not changed:
        return 0
    touched = [touched_parts(c) for c in changed]
    reads = 1 + sum(len(t) for c, t in zip(changed, touched, strict=True) if c.live_id)
    reads += any(CampaignPart.MAILBOXES in t for t in touched)
    reads += any(c.live_id is None for c in changed)  # new ids read back before any write
    reads += 1 + sum(
        len({READ_BACK[ch.kind] for ch in c.changes if ch.kind in READ_BACK}) for c in changed
    )
    # A webhook create is settled against a concurrent run by one list after it (claims.py).
    reads += sum(1 for c in changed for ch in c.changes if ch.kind is ChangeKind.CREATE_WEBHOOK)
    return reads


def estimate_calls(
    campaigns: Sequence[CampaignPlan],
    limits: RateLimits,
    rate_limit_profile: str,
    concurrency: int,
) -> CallEstimate:
    """Every call `apply --plan` makes (reads, writes, verification), and the time they take
    at `limits` with `concurrency` campaigns side by side: the rate-limit floor plus the
    start-up overhead. With per-category windows the floor of the slowest bucket is too
    hopeful (a campaign's calls go in order, its lead uploads after its campaign writes), so
    the time is apply's schedule replayed (plan/schedule.py) when that is longer."""
    calls = count_calls(change for c in campaigns for change in c.changes)
    reads = apply_reads(campaigns)
    if reads:
        calls[Bucket.GLOBAL] = calls.get(Bucket.GLOBAL, 0) + reads
    seconds = duration_floor(calls, limits)
    if any(limits.windows(b) for b in Bucket if b is not Bucket.GLOBAL) and reads:
        chains = [_campaign_calls(c) for c in campaigns if c.changes]
        # The rest are the reads before any write: all calls but the campaigns' own, the list
        # after the creates and the verification list at the end.
        in_chains = sum(len(c.calls) for c in chains) + any(c.creates for c in chains)
        start_reads = max(0, calls[Bucket.GLOBAL] - in_chains - 1)
        seconds = max(seconds, scheduled_seconds(start_reads, chains, limits, concurrency))
    seconds += OVERHEAD_SECONDS if reads else 0.0
    return CallEstimate(calls, seconds, rate_limit_profile)


def _campaign_calls(campaign: CampaignPlan) -> CampaignCalls:
    """The campaign's calls in apply order: its writes, the webhook list after each webhook
    create (claims.py), then the read-back of the parts no answer confirms."""
    calls: list[Bucket] = []
    for change in campaign.changes:
        calls += [write_bucket(change.kind)] * calls_for(change)
        if change.kind is ChangeKind.CREATE_WEBHOOK:
            calls.append(Bucket.GLOBAL)
    parts = {READ_BACK[c.kind] for c in campaign.changes if c.kind in READ_BACK}
    calls += [Bucket.GLOBAL] * len(parts)
    creates = campaign.changes[0].kind is ChangeKind.CREATE_CAMPAIGN
    return CampaignCalls(tuple(calls), creates)


def describe_duration(seconds: float) -> str:
    """`~9 min`, `~40 s`, `~2 h 5 min`, `under a second`: for a summary line."""
    if seconds < 1:
        return "under a second"
    if seconds < 90:
        return f"~{round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"~{minutes} min"
    return f"~{minutes // 60} h {minutes % 60} min"
