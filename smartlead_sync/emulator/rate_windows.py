"""Server-side rate limiting: sliding-window logs per API key and bucket (§2, §13.12).

Every call counts against GLOBAL, writes also against their own bucket. A call turned away with
429 does not count. Windows are divided by `time_scale`, so 60.0 runs a minute in a second.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from smartlead_sync.tool_settings import Bucket, RateLimits


@dataclass(frozen=True)
class Admission:
    allowed: bool
    retry_after: float  # real seconds until the call would be admitted (0 when allowed)
    limited_by: str | None = None  # the bucket that turned the call away
    headers: dict[str, str] = field(default_factory=dict)


def format_seconds(seconds: float, time_scale: float) -> str:
    """Whole seconds as HTTP wants them; at other time scales a decimal (emulator extension)."""
    if time_scale == 1.0:
        return str(max(1, math.ceil(seconds - 1e-9)))
    return f"{max(0.001, seconds):.3f}"


def seconds_value(seconds: float, time_scale: float) -> float | int:
    text = format_seconds(seconds, time_scale)
    return int(text) if time_scale == 1.0 else float(text)


class ServerRateLimiter:
    def __init__(self, limits: RateLimits, time_scale: float, clock: Callable[[], float]) -> None:
        self._limits = limits.scaled(time_scale)
        self._time_scale = time_scale
        self._clock = clock
        self._lock = threading.Lock()
        self._calls: dict[tuple[str, Bucket, int], deque[float]] = {}

    def admit(self, api_key: str, buckets: Sequence[Bucket]) -> Admission:
        """Count the call if every window of every bucket has room, else say how long to wait."""
        with self._lock:
            now = self._clock()
            wait = 0.0
            worst: Bucket | None = None
            logs = []
            for bucket in buckets:
                for index, window in enumerate(self._limits.windows(bucket)):
                    log = self._calls.setdefault((api_key, bucket, index), deque())
                    while log and log[0] <= now - window.seconds:
                        log.popleft()
                    if len(log) >= window.limit and log[0] + window.seconds - now > wait:
                        wait, worst = log[0] + window.seconds - now, bucket
                    logs.append(log)
            if wait <= 0:
                for log in logs:
                    log.append(now)
            limited_by = worst.value if worst is not None else None
            return Admission(wait <= 0, max(wait, 0.0), limited_by, self._headers(api_key, now))

    def _headers(self, api_key: str, now: float) -> dict[str, str]:
        """`x-ratelimit-*` for the longest GLOBAL window, the one [R1] shows (limit 60).

        `x-ratelimit-reset` is the number of seconds until the oldest counted call leaves
        that window, i.e. until `remaining` grows again.
        """
        windows = self._limits.windows(Bucket.GLOBAL)
        if not windows:
            return {}
        index = max(range(len(windows)), key=lambda i: windows[i].seconds)
        window = windows[index]
        log = self._calls.get((api_key, Bucket.GLOBAL, index), deque())
        reset = (log[0] + window.seconds - now) if log else window.seconds
        return {
            "x-ratelimit-limit": str(window.limit),
            "x-ratelimit-remaining": str(max(0, window.limit - len(log))),
            "x-ratelimit-reset": format_seconds(reset, self._time_scale),
        }

    def forced(self, api_key: str) -> Admission:
        """A 429 forced by fault injection: one (scaled) second to wait, nothing counted."""
        with self._lock:
            headers = self._headers(api_key, self._clock())
        return Admission(False, 1.0 / self._time_scale, "forced", headers)
