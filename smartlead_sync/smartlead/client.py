"""The only code that sends HTTP to Smartlead: one shared connection pool, paced and retried.

`SmartleadClient` has one typed method per route the reconciler uses (in `routes.py`); this
module holds the request loop. Each attempt takes a rate-limit slot, is logged without the key,
and ends as a value checked against the route's declared shape (`shapes.py`) or a typed
`ApiError`. Retries follow the idempotency of the route: 429 and
connection failures before sending are always retried; 5xx, timeouts and dropped connections
only on safe routes, because the server may have committed the write (design.md).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from smartlead_sync.redaction import redact, register_secret
from smartlead_sync.settings import Connection, RateLimits
from smartlead_sync.smartlead.bodies import Absent, Unusable
from smartlead_sync.smartlead.errors import (
    ApiError,
    AuthError,
    NotFound,
    RateLimited,
    ResponseError,
    ServerError,
    TransportError,
    ValidationError,
)
from smartlead_sync.smartlead.failures import (
    NOT_SENT,
    absent_error,
    gave_up,
    out_of_time,
    redirect_error,
    transport_error,
)
from smartlead_sync.smartlead.ratelimit import CallStats, Clock, PeerBudget, RateLimiter, Sleep
from smartlead_sync.smartlead.retry import RetryPolicy, parse_reset, rate_limit_wait
from smartlead_sync.smartlead.routes import RouteMethods
from smartlead_sync.smartlead.wire import (
    HttpLog,
    Route,
    decode_body,
    error_for_status,
    install_log_scrubber,
    ratelimit_remaining,
    server_message,
    unusable_error,
)

__all__ = [
    "ApiError",
    "AuthError",
    "NotFound",
    "RateLimited",
    "ResponseError",
    "RetryPolicy",
    "ServerError",
    "SmartleadClient",
    "TransportError",
    "ValidationError",
]

# Shorter waits before a retry pass unannounced (and all of them on a time-scaled emulator).
_NOTICE_FROM_SECONDS = 1.0


@dataclass
class _Outcome:
    body: Any = None
    error: ApiError | None = None
    retryable: bool = False
    server_wait: float | None = None  # what a 429 asked us to wait, if it said


class SmartleadClient(RouteMethods):
    """Thread-safe Smartlead API client; share one instance between all worker threads."""

    def __init__(
        self,
        connection: Connection,
        *,
        limits: RateLimits,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        retry: RetryPolicy | None = None,
        http_log: Path | None = None,
        rng: random.Random | None = None,
        notify: Callable[[str], None] | None = None,
        peers: PeerBudget | None = None,
    ) -> None:
        """`notify` hears, in words, about every wait of a second or more before a retry;
        `peers` shares the key's rate budget with other processes."""
        install_log_scrubber()
        self._key = connection.api_key.get_secret_value()
        register_secret(self._key)
        self._clock = clock
        self._sleep = sleep
        self._retry = retry or RetryPolicy()
        self._rng = rng or random.Random()
        self._limiter = RateLimiter(limits, clock=clock, sleep=sleep, peers=peers)
        self._log = HttpLog(http_log) if http_log is not None else None
        self._timeout: float = connection.timeout_seconds
        self._deadline = connection.deadline_seconds
        self._deadline_at = None if self._deadline is None else clock() + self._deadline
        self._http = httpx.Client(
            base_url=connection.base_url,
            timeout=connection.timeout_seconds,
            transport=transport,
            headers={"Accept": "application/json"},
        )
        self._notify = notify
        self.stats = CallStats()

    def __repr__(self) -> str:
        return f"SmartleadClient(base_url={self.base_url!r})"

    @property
    def base_url(self) -> str:
        """The API base URL (never carries the key: that goes into each request's query)."""
        return str(self._http.base_url).rstrip("/")

    def close(self) -> None:
        self._http.close()
        if self._log is not None:
            self._log.close()

    def __enter__(self) -> SmartleadClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def pause_before_retry(self, route: Route, retry_number: int) -> None:
        """Back off before re-trying a create that the caller has reconciled as absent."""
        wait = self._retry.backoff(route.kind, retry_number, self._rng)
        self.stats.record_retry(wait)
        self._sleep(wait)

    def _call(
        self,
        route: Route,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        items: int | None = None,
        gone_ok: bool = False,
    ) -> Any:
        """Send one logical call, retrying as the route's idempotency allows; 2xx body back."""
        started = self._clock()
        ambiguous_before = False
        attempt = 0
        error: ApiError | None = None
        while True:
            attempt += 1
            self._before_attempt(route, error)
            outcome = self._attempt(
                route, path, params=params, body=body, items=items, attempt=attempt
            )
            error = outcome.error
            if error is None:
                return outcome.body
            if isinstance(error, NotFound) and gone_ok and ambiguous_before:
                return None  # an earlier attempt we never heard back from did the delete
            ambiguous_before |= error.ambiguous
            if not outcome.retryable:
                raise error
            wait = outcome.server_wait
            wait = self._retry.backoff(route.kind, attempt, self._rng) if wait is None else wait
            self._before_attempt(route, error, after=wait)
            elapsed = self._clock() - started
            if self._exhausted(error, attempt, elapsed + wait):
                raise gave_up(
                    route,
                    error,
                    attempts=attempt,
                    elapsed=elapsed,
                    asked_wait=outcome.server_wait,
                    budget=self._retry.max_total_seconds,
                )
            self._announce_retry(error, wait, attempt)
            if error.status == 429:
                self._limiter.hold(wait)  # every thread pauses, not only this one
                self.stats.record_retry(0.0)
            else:
                self.stats.record_retry(wait)
                self._sleep(wait)

    def _before_attempt(self, route: Route, last: ApiError | None, after: float = 0.0) -> None:
        """Raise OutOfTime when the deadline leaves no time for an attempt `after` seconds on."""
        if self._deadline_at is not None and self._clock() + after >= self._deadline_at:
            assert self._deadline is not None
            left = self._deadline_at - self._clock()
            raise out_of_time(route, self._deadline, last, wait=after, left=left)

    def _attempt_timeout(self) -> float:
        """The read timeout, shortened to what is left before the deadline."""
        if self._deadline_at is None:
            return self._timeout
        return max(min(self._timeout, self._deadline_at - self._clock()), 0.001)

    def _exhausted(self, error: ApiError, attempt: int, total_after_wait: float) -> bool:
        cap = self._attempt_cap(error)
        return attempt >= cap or total_after_wait > self._retry.max_total_seconds

    def _attempt_cap(self, error: ApiError) -> int:
        cap = self._retry.max_attempts
        if isinstance(error, TransportError) and not error.ambiguous:
            cap = min(cap, self._retry.max_connect_attempts)
        return cap

    def _announce_retry(self, error: ApiError, wait: float, attempt: int) -> None:
        """Say why nothing seems to happen: a run of retries can be silent for a minute."""
        if self._notify is None or wait < _NOTICE_FROM_SECONDS:
            return
        self._notify(
            f"{error.message}; trying again in {wait:.0f}s "
            f"(attempt {attempt + 1} of {self._attempt_cap(error)})"
        )

    def _attempt(
        self,
        route: Route,
        path: str,
        *,
        params: dict[str, Any] | None,
        body: Any,
        items: int | None,
        attempt: int,
    ) -> _Outcome:
        status: int | None = None
        permit = self._limiter.acquire(route.kind.bucket)
        self.stats.record_call(route.name, permit.buckets, permit.waited)
        sent = self._clock()
        timeout = self._attempt_timeout()
        try:
            response = self._http.request(
                route.method,
                path,
                params={**(params or {}), "api_key": self._key},
                json=body,
                timeout=timeout,
            )
        except httpx.HTTPError as exc:
            outcome = self._transport_failure(route, exc, timeout)
        else:
            status = response.status_code
            outcome = self._classify(route, response)
        finally:
            # The slot counts from now: the server saw the request before we saw its answer.
            self._limiter.release(permit, throttled=status == 429)
        duration = self._clock() - sent
        if self._log is not None:
            self._log.write(
                route,
                status=status,
                duration=duration,
                wait=permit.waited,
                attempt=attempt,
                outcome="ok" if outcome.error is None else type(outcome.error).__name__,
                items=items,
            )
        return outcome

    def _classify(self, route: Route, response: httpx.Response) -> _Outcome:
        headers = response.headers
        self._limiter.observe(
            ratelimit_remaining(headers), parse_reset(headers.get("x-ratelimit-reset"))
        )
        status = response.status_code
        if 200 <= status < 300:
            return self._read_success(route, response)
        if 300 <= status < 400:
            return _Outcome(error=redirect_error(route, response))
        body = decode_body(response)
        message = redact(server_message(body))
        if status == 429:
            self.stats.record_429()
            self._learn_category(route, headers)
            error = error_for_status(route, status, message)
            return _Outcome(error=error, retryable=True, server_wait=rate_limit_wait(headers, body))
        ambiguous = status >= 500 and route.method != "GET"
        error = error_for_status(route, status, message, ambiguous=ambiguous)
        return _Outcome(error=error, retryable=status >= 500 and route.safe)

    def _learn_category(self, route: Route, headers: httpx.Headers) -> None:
        """A 429 while the per-key budget had room: the account limits more than our windows
        say. On a write, its category is paced from now on (design.md, rate limits); when no
        category explains it and the server said it had room, the shortest per-key window is
        halved. Both last for the run."""
        remaining = ratelimit_remaining(headers)
        had_room = remaining > 0 if remaining is not None else not self._limiter.global_full()
        if not had_room:
            return  # our per-key budget was spent: the wait alone is the answer
        bucket = route.kind.bucket
        windows = self._limiter.learn(bucket) if bucket is not None else ()
        if windows:
            pace = " and ".join(f"{w.limit} per {w.seconds:g}s" for w in windows)
            assert bucket is not None
            self._tell(
                f"Smartlead limits {bucket.value.replace('_', ' ')}s on their own: pacing them "
                f"at {pace} for the rest of this run"
            )
            return
        # Without the header the evidence is only our own count: not enough to slow every call.
        tighter = self._limiter.tighten() if remaining is not None else None
        if tighter is not None:
            self._tell(
                f"Smartlead refused a call the configured limits allowed: pacing at "
                f"{tighter.limit} per {tighter.seconds:g}s for the rest of this run"
            )

    def _tell(self, text: str) -> None:
        if self._notify is not None:
            self._notify(text)

    def _read_success(self, route: Route, response: httpx.Response) -> _Outcome:
        """A 2xx body through the route's declared shape. An unusable one is an error like a
        5xx: retried where that is safe, and never read as "nothing there"."""
        try:
            return _Outcome(body=route.shape.read(response.text))
        except Absent:
            return _Outcome(error=absent_error(route, response.status_code))
        except Unusable as exc:
            error = unusable_error(route, response.status_code, str(exc))
            return _Outcome(error=error, retryable=route.safe)

    def _transport_failure(self, route: Route, exc: httpx.HTTPError, timeout: float) -> _Outcome:
        error = transport_error(route, exc, self._http.base_url, timeout)
        not_sent = isinstance(exc, NOT_SENT)
        return _Outcome(error=error, retryable=not_sent or (error.ambiguous and route.safe))
