"""API calls a plan needs per rate-limit bucket, and the least time they take at given limits.

Shared by `plan` (the summary line), `apply` (its report) and the benchmarks (wall time against
the floor), so that all three speak of the same floor.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from smartlead_sync.plan import CallEstimate, Change, ChangeKind, LeadRemovals, LeadUpdates
from smartlead_sync.settings import Bucket, RateLimits

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
    match change.payload:
        case LeadUpdates(updates=updates):
            return len(updates)
        case LeadRemovals(leads=leads):
            return len(leads)
    if change.kind in (ChangeKind.UPDATE_LEADS, ChangeKind.REMOVE_LEADS) and change.leads:
        return change.leads.count  # a plan read back from JSON has counts, not payloads
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
    """Least seconds `calls` can take: in a sliding window of L calls per S seconds, n calls
    need (ceil(n / L) - 1) * S after the first; every window of every bucket holds at once, so
    the slowest one is the floor."""
    floor = 0.0
    for bucket, n in calls.items():
        for window in limits.windows(bucket):
            if n > 0 and window.limit > 0:
                floor = max(floor, (math.ceil(n / window.limit) - 1) * window.seconds)
    return floor


def estimate_calls(
    changes: Iterable[Change], limits: RateLimits, rate_limit_profile: str
) -> CallEstimate:
    calls = count_calls(changes)
    return CallEstimate(calls, duration_floor(calls, limits), rate_limit_profile)


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
