"""Thread-safe counters of what the Smartlead client did: calls per bucket and route, 429s,
waits and retries. An apply taps them for the length of a run to split the counts by campaign
(apply/callstats.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from smartlead_sync.tool_settings import Bucket

_Tap = TypeVar("_Tap", bound="CallStats")


class CallStats:
    """Thread-safe counters of what the client did: calls, 429s, waits, retries."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[Bucket, int] = dict.fromkeys(Bucket, 0)
        self._routes: dict[str, int] = {}
        self._received_429 = 0
        self._waited = 0.0
        self._retries = 0
        self._taps: tuple[CallStats, ...] = ()

    @contextmanager
    def tapped(self, tap: _Tap) -> Iterator[_Tap]:
        """Count into `tap` as well while the block runs (an apply's per-campaign counts)."""
        with self._lock:
            self._taps = (*self._taps, tap)
        try:
            yield tap
        finally:
            with self._lock:
                self._taps = tuple(t for t in self._taps if t is not tap)

    def record_call(self, route: str, buckets: tuple[Bucket, ...], waited: float) -> None:
        with self._lock:
            for bucket in buckets:
                self._calls[bucket] += 1
            self._routes[route] = self._routes.get(route, 0) + 1
            self._waited += waited
            taps = self._taps
        for tap in taps:
            tap.record_call(route, buckets, waited)

    def record_429(self) -> None:
        with self._lock:
            self._received_429 += 1
            taps = self._taps
        for tap in taps:
            tap.record_429()

    def record_retry(self, waited: float) -> None:
        with self._lock:
            self._retries += 1
            self._waited += waited
            taps = self._taps
        for tap in taps:
            tap.record_retry(waited)

    @property
    def calls(self) -> dict[Bucket, int]:
        """HTTP requests sent per bucket (every attempt counts; GLOBAL counts them all)."""
        with self._lock:
            return dict(self._calls)

    @property
    def routes(self) -> dict[str, int]:
        """HTTP requests sent per route template, e.g. `"POST /campaigns/{id}/leads"`."""
        with self._lock:
            return dict(self._routes)

    @property
    def received_429(self) -> int:
        with self._lock:
            return self._received_429

    @property
    def waited_seconds(self) -> float:
        """Time spent waiting for rate-limit slots and before retries."""
        with self._lock:
            return self._waited

    @property
    def retries(self) -> int:
        with self._lock:
            return self._retries

    def summary(self) -> str:
        calls = ", ".join(f"{b.value} {n}" for b, n in self.calls.items() if n)
        return (
            f"API calls: {calls or 'none'}; 429s received: {self.received_429}; "
            f"retries: {self.retries}; waited on limits: {self.waited_seconds:.1f}s"
        )
