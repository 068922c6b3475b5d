"""How long to wait when GitHub says a token is going too fast, by GitHub's documented rules.

GitHub answers a primary or secondary rate limit with 403 or 429. Its REST documentation
("Rate limits for the REST API") says: when `retry-after` is present, wait that many seconds;
when `x-ratelimit-remaining` is 0, wait until `x-ratelimit-reset` (UTC epoch seconds);
otherwise wait at least a minute, longer on each repeat, and give up after a few tries. A 403
that is none of these is a missing permission, not a limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

_LIMIT_STATUSES = (httpx.codes.FORBIDDEN, httpx.codes.TOO_MANY_REQUESTS)
_UNHINTED_WAIT = 60.0  # seconds: GitHub's "at least one minute" when no header says more


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Caps on waiting: tries in all, the longest single wait, and all waits together."""

    attempts: int = 4
    longest_wait: float = 300.0
    total_wait: float = 600.0


@dataclass(frozen=True, slots=True)
class RateLimit:
    """GitHub refused a request for going too fast; `wait` seconds before trying again."""

    wait: float
    secondary: bool  # a secondary limit (requests too fast) rather than the hourly budget


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _message(response: httpx.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        return ""
    return str(payload.get("message") or "") if isinstance(payload, dict) else ""


def rate_limit(response: httpx.Response, *, repeat: int, now: float) -> RateLimit | None:
    """The wait `response` asks for, or None when it is not a rate limit. `repeat` counts the
    limits met so far for this request (0 the first time); `now` is UTC epoch seconds."""
    if response.status_code not in _LIMIT_STATUSES:
        return None
    headers = response.headers
    retry_after = _number(headers.get("retry-after"))
    exhausted = headers.get("x-ratelimit-remaining") == "0"
    said_so = "rate limit" in _message(response).lower()
    if response.status_code == httpx.codes.FORBIDDEN and not (
        retry_after is not None or exhausted or said_so
    ):
        return None  # a permission problem
    if retry_after is not None:
        return RateLimit(max(retry_after, 0.0), secondary=True)
    reset = _number(headers.get("x-ratelimit-reset"))
    if exhausted and reset is not None:
        return RateLimit(max(reset - now, 0.0) + 1.0, secondary=False)  # +1: clocks differ
    return RateLimit(_UNHINTED_WAIT * 2**repeat, secondary=True)
