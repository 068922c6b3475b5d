"""What the emulator saw: counts per route and bucket, 429s, concurrency, a request log.

The log holds paths without query strings, so the API key never appears in it.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import asdict, dataclass
from typing import Any

LOG_CAPACITY = 10_000


@dataclass(frozen=True)
class RequestLogEntry:
    seq: int
    method: str
    path: str  # no query string
    route: str  # "METHOD /template", or "UNMATCHED"
    status: int
    buckets: tuple[str, ...]
    at: float  # emulator clock when the request arrived
    duration_ms: float
    fault: str | None = None


@dataclass(frozen=True)
class EmulatorStats:
    total_requests: int
    requests_by_route: dict[str, int]
    requests_by_bucket: dict[str, int]  # every call that reached the limiter, 429s included
    rate_limited: int
    rate_limited_by_bucket: dict[str, int]
    peak_concurrency: int
    server_errors_injected: int
    responses_lost: int
    log: tuple[RequestLogEntry, ...]

    def to_dict(self, *, with_log: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not with_log:
            data.pop("log")
        return data


class StatsRecorder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._seq = 0
            self._by_route: Counter[str] = Counter()
            self._by_bucket: Counter[str] = Counter()
            self._limited_by_bucket: Counter[str] = Counter()
            self._limited = 0
            self._in_flight = 0
            self._peak = 0
            self._server_errors = 0
            self._lost = 0
            self._log: deque[RequestLogEntry] = deque(maxlen=LOG_CAPACITY)

    def enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def record(self, entry: RequestLogEntry, *, limited_by: str | None) -> None:
        with self._lock:
            self._seq += 1
            self._log.append(RequestLogEntry(**{**asdict(entry), "seq": self._seq}))
            self._by_route[entry.route] += 1
            for bucket in entry.buckets:
                self._by_bucket[bucket] += 1
            if entry.status == 429:
                self._limited += 1
                self._limited_by_bucket[limited_by or "forced"] += 1
            if entry.fault == "server_error":
                self._server_errors += 1
            elif entry.fault and entry.fault.startswith("lost_response"):
                self._lost += 1

    def snapshot(self) -> EmulatorStats:
        with self._lock:
            return EmulatorStats(
                total_requests=self._seq,
                requests_by_route=dict(self._by_route),
                requests_by_bucket=dict(self._by_bucket),
                rate_limited=self._limited,
                rate_limited_by_bucket=dict(self._limited_by_bucket),
                peak_concurrency=self._peak,
                server_errors_injected=self._server_errors,
                responses_lost=self._lost,
                log=tuple(self._log),
            )
