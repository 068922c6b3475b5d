"""How long to wait before trying a call again, and when to stop trying.

On 429 the wait comes from, in order: `Retry-After`, the body's `retry_after`, the
`x-ratelimit-reset` header, and only then exponential backoff with jitter (smartlead-api.md
§2.2: none of the three is guaranteed to be present). Attempts and total time are capped; the
caller raises when the cap is reached, never gives up silently.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from enum import Enum
from typing import Any

from smartlead_sync.tool_settings import Bucket

# A reset header above this is an epoch timestamp, not a number of seconds.
_EPOCH_THRESHOLD = 1_000_000_000


class CallKind(str, Enum):
    """What a call does, which decides its write bucket and its backoff start."""

    READ = "read"
    CAMPAIGN_WRITE = "campaign_write"
    LEAD_WRITE = "lead_write"
    WEBHOOK_WRITE = "webhook_write"

    @property
    def bucket(self) -> Bucket | None:
        return None if self is CallKind.READ else Bucket(self.value)


def _default_backoff_start() -> dict[CallKind, float]:
    return {
        CallKind.READ: 1.0,
        CallKind.CAMPAIGN_WRITE: 2.0,
        CallKind.LEAD_WRITE: 2.0,
        CallKind.WEBHOOK_WRITE: 3.0,
    }


@dataclass(frozen=True)
class RetryPolicy:
    """Caps and backoff for retries (429 always; 5xx and timeouts only for safe calls)."""

    max_attempts: int = 6
    # A refused connection is usually a wrong --base-url or no network: say so quickly.
    max_connect_attempts: int = 3
    max_total_seconds: float = 300.0
    max_wait_seconds: float = 120.0
    backoff_start: Mapping[CallKind, float] = field(default_factory=_default_backoff_start)
    jitter_ratio: float = 0.5

    def scaled(self, time_scale: float) -> RetryPolicy:
        """The same policy with every duration divided by `time_scale` (emulator, tests)."""
        return replace(
            self,
            max_total_seconds=self.max_total_seconds / time_scale,
            max_wait_seconds=self.max_wait_seconds / time_scale,
            backoff_start={k: v / time_scale for k, v in self.backoff_start.items()},
        )

    def backoff(self, kind: CallKind, retry_number: int, rng: random.Random) -> float:
        """Wait before retry `retry_number` (1-based): start * 2^(n-1), plus up to +50% jitter."""
        base: float = self.backoff_start[kind] * 2.0 ** (retry_number - 1)
        return min(base * (1 + self.jitter_ratio * rng.random()), self.max_wait_seconds)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def parse_retry_after(value: str | None, wall: Callable[[], float] = time.time) -> float | None:
    """`Retry-After` as seconds: a (possibly decimal) number or an HTTP date."""
    if value is None or not value.strip():
        return None
    seconds = _number(value.strip())
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return max(when.timestamp() - wall(), 0.0)


def parse_reset(value: str | None, wall: Callable[[], float] = time.time) -> float | None:
    """`x-ratelimit-reset` as seconds from now; tolerates an epoch timestamp."""
    seconds = _number(value) if value is not None else None
    if seconds is None:
        return None
    return max(seconds - wall(), 0.0) if seconds > _EPOCH_THRESHOLD else seconds


def body_retry_after(body: Any) -> float | None:
    """`retry_after` from `{error:{retry_after}}` (§2.2, [M2]) or a flat `{retry_after}`."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, dict) and "retry_after" in error:
        return _number(error["retry_after"])
    return _number(body.get("retry_after"))


def rate_limit_wait(
    headers: Mapping[str, str], body: Any, wall: Callable[[], float] = time.time
) -> float | None:
    """The server's requested wait after a 429, or None when it gave no hint."""
    for candidate in (
        parse_retry_after(headers.get("retry-after"), wall),
        body_retry_after(body),
        parse_reset(headers.get("x-ratelimit-reset"), wall),
    ):
        if candidate is not None:
            return candidate
    return None
