"""Client call counters attributed to the campaign each worker thread is applying.

The client counts every HTTP attempt in one `CallStats`; an apply taps it (`CallStats.tapped`)
with a `CampaignCallStats` for the run. A campaign is applied by one worker thread at a time,
so a thread-local "current campaign" is enough to split those counts per campaign for the
report without threading a campaign name through the client.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from smartlead_sync.apply.report import CallStats as ReportCallStats
from smartlead_sync.smartlead.counters import CallStats
from smartlead_sync.tool_settings import Bucket


class CampaignCallStats(CallStats):
    """`CallStats` that also records each call under the campaign of the calling thread."""

    def __init__(self) -> None:
        super().__init__()
        self._local = threading.local()
        self._per_campaign: dict[str, CallStats] = {}
        self._per_lock = threading.Lock()

    @contextmanager
    def campaign(self, name: str) -> Iterator[None]:
        with self._per_lock:
            scoped = self._per_campaign.setdefault(name, CallStats())
        previous = getattr(self._local, "scoped", None)
        self._local.scoped = scoped
        try:
            yield
        finally:
            self._local.scoped = previous

    def _scoped(self) -> CallStats | None:
        scoped: CallStats | None = getattr(self._local, "scoped", None)
        return scoped

    def record_call(self, route: str, buckets: tuple[Bucket, ...], waited: float) -> None:
        super().record_call(route, buckets, waited)
        if (scoped := self._scoped()) is not None:
            scoped.record_call(route, buckets, waited)

    def record_429(self) -> None:
        super().record_429()
        if (scoped := self._scoped()) is not None:
            scoped.record_429()

    def record_retry(self, waited: float) -> None:
        super().record_retry(waited)
        if (scoped := self._scoped()) is not None:
            scoped.record_retry(waited)

    def for_campaign(self, name: str) -> ReportCallStats:
        with self._per_lock:
            scoped = self._per_campaign.get(name)
        return to_report(scoped) if scoped is not None else ReportCallStats()


def to_report(stats: CallStats, since: ReportCallStats | None = None) -> ReportCallStats:
    """The client's counters in report form, minus a baseline taken earlier (`snapshot`)."""
    now = snapshot(stats)
    if since is None:
        return now
    calls = {b: n - since.calls.get(b, 0) for b, n in now.calls.items()}
    return ReportCallStats(
        {b: n for b, n in calls.items() if n},
        now.rate_limited - since.rate_limited,
        now.waited_seconds - since.waited_seconds,
    )


def snapshot(stats: CallStats) -> ReportCallStats:
    calls: Mapping[Bucket, int] = stats.calls
    return ReportCallStats(
        {b.value: n for b, n in calls.items() if n}, stats.received_429, stats.waited_seconds
    )


def add_calls(a: ReportCallStats, b: ReportCallStats) -> ReportCallStats:
    calls = {k: a.calls.get(k, 0) + b.calls.get(k, 0) for k in a.calls.keys() | b.calls.keys()}
    return ReportCallStats(
        calls, a.rate_limited + b.rate_limited, a.waited_seconds + b.waited_seconds
    )
