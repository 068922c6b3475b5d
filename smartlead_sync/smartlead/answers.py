"""What one answer from Smartlead means: a body, or a typed error that may be retried, and what
it teaches the rate limiter.

A 2xx body goes through the route's declared shape (`shapes.py`); an unusable one is an error
like a 5xx, retried where that is safe and never read as "nothing there". A 429 while the
budget had room teaches the limiter a stricter pace (design.md, rate limits).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from smartlead_sync.redaction import redact
from smartlead_sync.smartlead.api_errors import ApiError
from smartlead_sync.smartlead.counters import CallStats
from smartlead_sync.smartlead.failures import (
    NOT_SENT,
    absent_error,
    redirect_error,
    transport_error,
)
from smartlead_sync.smartlead.ratelimit import RateLimiter
from smartlead_sync.smartlead.response_bodies import Absent, Unusable
from smartlead_sync.smartlead.retry import parse_reset, rate_limit_wait
from smartlead_sync.smartlead.wire import (
    Route,
    decode_body,
    error_for_status,
    ratelimit_remaining,
    server_message,
    unusable_error,
)

Notify = Callable[[str], None]


@dataclass
class Outcome:
    body: Any = None
    error: ApiError | None = None
    retryable: bool = False
    server_wait: float | None = None  # what a 429 asked us to wait, if it said


def classify(
    route: Route,
    response: httpx.Response,
    limiter: RateLimiter,
    stats: CallStats,
    notify: Notify | None,
) -> Outcome:
    """The answer to one attempt; its rate-limit headers and 429s go to `limiter`."""
    headers = response.headers
    limiter.observe(ratelimit_remaining(headers), parse_reset(headers.get("x-ratelimit-reset")))
    status = response.status_code
    if 200 <= status < 300:
        return _read_success(route, response)
    if 300 <= status < 400:
        return Outcome(error=redirect_error(route, response))
    body = decode_body(response)
    message = redact(server_message(body))
    if status == 429:
        stats.record_429()
        _learn_category(route, headers, limiter, notify)
        error = error_for_status(route, status, message)
        return Outcome(error=error, retryable=True, server_wait=rate_limit_wait(headers, body))
    ambiguous = status >= 500 and route.method != "GET"
    error = error_for_status(route, status, message, ambiguous=ambiguous)
    return Outcome(error=error, retryable=status >= 500 and route.safe)


def transport_failure(
    route: Route, exc: httpx.HTTPError, base_url: httpx.URL, timeout: float
) -> Outcome:
    """No usable answer: retried when nothing was sent, or when the route is safe to repeat."""
    error = transport_error(route, exc, base_url, timeout)
    not_sent = isinstance(exc, NOT_SENT)
    return Outcome(error=error, retryable=not_sent or (error.ambiguous and route.safe))


def _learn_category(
    route: Route, headers: httpx.Headers, limiter: RateLimiter, notify: Notify | None
) -> None:
    """A 429 while the per-key budget had room: the account limits more than our windows
    say. On a write, its category is paced from now on (design.md, rate limits); when no
    category explains it and the server said it had room, the shortest per-key window is
    halved. Both last for the run."""
    remaining = ratelimit_remaining(headers)
    had_room = remaining > 0 if remaining is not None else not limiter.global_full()
    if not had_room:
        return  # our per-key budget was spent: the wait alone is the answer
    bucket = route.kind.bucket
    windows = limiter.learn(bucket) if bucket is not None else ()
    if windows:
        pace = " and ".join(f"{w.limit} per {w.seconds:g}s" for w in windows)
        assert bucket is not None
        _tell(
            notify,
            f"Smartlead limits {bucket.value.replace('_', ' ')}s on their own: pacing them "
            f"at {pace} for the rest of this run",
        )
        return
    # Without the header the evidence is only our own count: not enough to slow every call.
    tighter = limiter.tighten() if remaining is not None else None
    if tighter is not None:
        _tell(
            notify,
            f"Smartlead refused a call the configured limits allowed: pacing at "
            f"{tighter.limit} per {tighter.seconds:g}s for the rest of this run",
        )


def _tell(notify: Notify | None, text: str) -> None:
    if notify is not None:
        notify(text)


def _read_success(route: Route, response: httpx.Response) -> Outcome:
    """A 2xx body through the route's declared shape. An unusable one is an error like a
    5xx: retried where that is safe, and never read as "nothing there"."""
    try:
        return Outcome(body=route.shape.read(response.text))
    except Absent:
        return Outcome(error=absent_error(route, response.status_code))
    except Unusable as exc:
        error = unusable_error(route, response.status_code, str(exc))
        return Outcome(error=error, retryable=route.safe)
