"""The only code that sends HTTP to Smartlead: one shared connection pool, paced and retried.

`SmartleadClient` has one typed method per route the reconciler uses (in `routes.py`); this
module holds the request loop. Each attempt takes a rate-limit slot, is logged without the key,
and ends as a value checked against the route's declared shape (`shapes.py`) or a typed
`ApiError` (`answers.py`). Retries follow the idempotency of the route: 429 and
connection failures before sending are always retried; 5xx, timeouts and dropped connections
only on safe routes, because the server may have committed the write (design.md).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from smartlead_sync.redaction import register_secret
from smartlead_sync.smartlead.answers import Outcome, classify, transport_failure
from smartlead_sync.smartlead.api_errors import ApiError, NotFound, TransportError
from smartlead_sync.smartlead.counters import CallStats
from smartlead_sync.smartlead.failures import gave_up, out_of_time
from smartlead_sync.smartlead.ratelimit import Clock, PeerBudget, Permit, RateLimiter, Sleep
from smartlead_sync.smartlead.retry import RetryPolicy
from smartlead_sync.smartlead.routes import RouteMethods
from smartlead_sync.smartlead.wire import HttpLog, Request, Route, install_log_scrubber
from smartlead_sync.tool_settings import Connection, RateLimits

__all__ = ["RetryPolicy", "SmartleadClient"]

# Shorter waits before a retry pass unannounced (and all of them on a time-scaled emulator).
_NOTICE_FROM_SECONDS = 1.0


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

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def pause_before_retry(self, route: Route, retry_number: int) -> None:
        """Back off before re-trying a create that the caller has reconciled as absent."""
        wait = self._retry.backoff(route.kind, retry_number, self._rng)
        self.stats.record_retry(wait)
        self._sleep(wait)

    def _send(self, request: Request) -> Any:
        """Send one logical call, retrying as the route's idempotency allows; 2xx body back."""
        route = request.route
        started = self._clock()
        ambiguous_before = False
        attempt = 0
        error: ApiError | None = None
        while True:
            attempt += 1
            self._before_attempt(route, error)
            outcome = self._attempt(request, attempt)
            error = outcome.error
            if error is None:
                return outcome.body
            if isinstance(error, NotFound) and request.gone_ok and ambiguous_before:
                return None  # an earlier attempt we never heard back from did the delete
            ambiguous_before |= error.ambiguous
            if not outcome.retryable:
                raise error
            self._wait_to_retry(route, error, outcome.server_wait, attempt, started)

    def _wait_to_retry(
        self,
        route: Route,
        error: ApiError,
        server_wait: float | None,
        attempt: int,
        started: float,
    ) -> None:
        """Wait before attempt `attempt + 1`, or raise when the attempts, the time budget or
        the deadline leave no room for it. A 429's wait holds every thread, not only this one."""
        wait = server_wait
        if wait is None:
            wait = self._retry.backoff(route.kind, attempt, self._rng)
        self._before_attempt(route, error, after=wait)
        elapsed = self._clock() - started
        if self._exhausted(error, attempt, elapsed + wait):
            raise gave_up(
                route,
                error,
                attempts=attempt,
                elapsed=elapsed,
                asked_wait=server_wait,
                budget=self._retry.max_total_seconds,
            )
        self._announce_retry(error, wait, attempt)
        if error.status == 429:
            self._limiter.hold(wait)
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

    def _attempt(self, request: Request, attempt: int) -> Outcome:
        route = request.route
        permit = self._limiter.acquire(route.kind.bucket)
        self.stats.record_call(route.name, permit.buckets, permit.waited)
        sent = self._clock()
        status, outcome = self._exchange(request, permit)
        if self._log is not None:
            self._log.write(
                route,
                status=status,
                duration=self._clock() - sent,
                wait=permit.waited,
                attempt=attempt,
                outcome="ok" if outcome.error is None else outcome.error.outcome,
                items=request.items,
            )
        return outcome

    def _exchange(self, request: Request, permit: Permit) -> tuple[int | None, Outcome]:
        """One request and what its answer means (its status, None without one)."""
        route = request.route
        status: int | None = None
        timeout = self._attempt_timeout()
        try:
            response = self._http.request(
                route.method,
                request.path,
                params={**(request.params or {}), "api_key": self._key},
                json=request.body,
                timeout=timeout,
            )
        except httpx.HTTPError as exc:
            outcome = transport_failure(route, exc, self._http.base_url, timeout)
        else:
            status = response.status_code
            outcome = classify(route, response, self._limiter, self.stats, self._notify)
        finally:
            # The slot counts from now: the server saw the request before we saw its answer.
            self._limiter.release(permit, throttled=status == 429)
        return status, outcome
