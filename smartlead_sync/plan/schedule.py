"""The apply's schedule replayed on paper, for the time estimate when category buckets are on.

With per-key windows only, every call competes for the same budget and the slowest bucket's
chained windows are the time (estimate.duration_floor). With per-category windows, that is only
a lower bound: a campaign's calls go in order, so its lead uploads wait for its campaign writes,
and every new campaign is created (and read back) before any campaign goes on. This replays the
executor: the creates first, one list read, then the campaigns' calls, at most `concurrency`
campaigns at a time, each call as early as its windows and its campaign allow, the earlier
campaign first on a tie (the limiter's rank order, smartlead/ratelimit.py). Answers are taken
as instant.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from smartlead_sync.tool_settings import Bucket, RateLimits


@dataclass(frozen=True)
class CampaignCalls:
    """One campaign's calls in apply order (GLOBAL: a read); `creates`: its first call is a
    create, made in the create phase."""

    calls: tuple[Bucket, ...]
    creates: bool = False


class _Windows:
    """The times of the calls made so far per bucket (only as many as the longest limit)."""

    def __init__(self, limits: RateLimits) -> None:
        self._limits = limits
        self._times: dict[Bucket, deque[float]] = {
            b: deque(maxlen=max((w.limit for w in limits.windows(b)), default=1)) for b in Bucket
        }

    def earliest(self, bucket: Bucket, ready: float) -> float:
        at = ready
        for b in {Bucket.GLOBAL, bucket}:
            times = self._times[b]
            for window in self._limits.windows(b):
                if window.limit <= len(times):
                    at = max(at, times[-window.limit] + window.seconds)
        return at

    def take(self, bucket: Bucket, at: float) -> float:
        for b in {Bucket.GLOBAL, bucket}:
            self._times[b].append(at)
        return at


def scheduled_seconds(
    start_reads: int,
    campaigns: Sequence[CampaignCalls],
    limits: RateLimits,
    concurrency: int,
) -> float:
    """Seconds from the first call to the last: `start_reads` reads, the create phase and its
    list read, the campaigns' calls, and the final verification list."""
    windows = _Windows(limits)
    now = 0.0
    for _ in range(start_reads):
        now = windows.take(Bucket.GLOBAL, windows.earliest(Bucket.GLOBAL, now))
    if any(c.creates for c in campaigns):
        for _ in range(sum(c.creates for c in campaigns)):
            now = windows.take(Bucket.CAMPAIGN_WRITE, windows.earliest(Bucket.CAMPAIGN_WRITE, now))
        now = windows.take(Bucket.GLOBAL, windows.earliest(Bucket.GLOBAL, now))
    chains = [c.calls[1:] if c.creates else c.calls for c in campaigns]
    now = _run_campaigns(windows, [c for c in chains if c], now, max(1, concurrency))
    return windows.take(Bucket.GLOBAL, windows.earliest(Bucket.GLOBAL, now))


def _run_campaigns(
    windows: _Windows, chains: Sequence[tuple[Bucket, ...]], start: float, concurrency: int
) -> float:
    """Greedy: the call that can go earliest goes next (the lower rank on a tie). A call's time
    only grows as others take slots, so an entry whose time is still right is the earliest."""
    position = [0] * len(chains)
    ready = [start] * len(chains)
    heap = [(start, rank) for rank in range(min(concurrency, len(chains)))]
    waiting = deque(range(len(heap), len(chains)))
    last = start
    while heap:
        at, rank = heapq.heappop(heap)
        bucket = chains[rank][position[rank]]
        now = windows.earliest(bucket, ready[rank])
        if now > at:
            heapq.heappush(heap, (now, rank))
            continue
        last = ready[rank] = windows.take(bucket, now)
        position[rank] += 1
        if position[rank] < len(chains[rank]):
            heapq.heappush(heap, (now, rank))
        elif waiting:
            following = waiting.popleft()
            ready[following] = now
            heapq.heappush(heap, (now, following))
    return last
