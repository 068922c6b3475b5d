"""Client-side pacing so that, under the configured limits, Smartlead never has to answer 429.

Every call takes a slot in GLOBAL and in at most one write bucket; each bucket is a list of
sliding windows ("at most N calls in any S seconds") and a call goes only when every window of
both buckets has room. A slot is recorded at the moment the response arrives, not when the
request leaves: the server counted the request somewhere between the two, so spacing completion
times by the window length keeps the server's own sliding window within its limit whatever the
network latency. Calls still in flight count as occupying the newest slots.

Responses also steer the limiter: `x-ratelimit-remaining/reset` (smartlead-api.md §2.1) give a
server-side budget, and a 429's wait pauses every thread, not only the one that got it.
Smartlead documents per-key windows only; a category bucket (campaign, lead, webhook writes)
without windows is still tracked, so that when a 429 shows the account enforces one (`learn`),
its windows start from the calls already made rather than from zero.
When several callers could take the same free slot, the one of the lowest rank goes first
(ratelimit_order.py).
Clock and sleep are injected so tests run instantly; all state is guarded by one lock.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from smartlead_sync.smartlead.ratelimit_order import (
    FIRST,
    Waiter,
    WaitingLine,
    WindowState,
    current_rank,
)
from smartlead_sync.tool_settings import Bucket, RateLimits, Window

Clock = Callable[[], float]
Sleep = Callable[[float], None]

# Completion times are compared with the server's clock; a sliver of the window keeps float
# rounding and clock granularity on our side of the boundary.
DEFAULT_MARGIN_RATIO = 0.002
_IN_FLIGHT_POLL_SECONDS = 0.01


@dataclass(frozen=True)
class Permit:
    """A reserved slot; hand it back to `RateLimiter.release` when the response is in."""

    buckets: tuple[Bucket, ...]
    waited: float
    rank: float = FIRST
    peer_token: int | None = None  # the slot taken in the budget shared with other processes
    # The windows this call took a slot in (a bucket learned meanwhile holds no slot of it).
    states: tuple[WindowState, ...] = field(default=(), repr=False, compare=False)


class PeerBudget(Protocol):
    """The same key's calls by other processes (smartlead/shared_budget.py)."""

    def reserve(self, windows: Sequence[tuple[Bucket, Window]]) -> tuple[int | None, float]: ...

    def done(self, token: int) -> None: ...


@dataclass
class _ServerBudget:
    remaining: int
    until: float


class RateLimiter:
    """Sliding-window pacing over buckets, shared by every thread that uses one API key."""

    def __init__(
        self,
        limits: RateLimits,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        margin_ratio: float = DEFAULT_MARGIN_RATIO,
        peers: PeerBudget | None = None,
    ) -> None:
        self._clock = clock
        self._peers = peers
        self._sleep = sleep
        self._margin_ratio = margin_ratio
        self._windows: dict[Bucket, list[WindowState]] = {
            bucket: [WindowState(w) for w in limits.windows(bucket)] for bucket in Bucket
        }
        self._learnable = {b: ws for b, ws in limits.learnable.items() if not self._windows[b]}
        # Completion times of calls in each bucket that may yet be learned, newest last.
        self._recent: dict[Bucket, deque[float]] = {b: deque() for b in self._learnable}
        self._hold_until = float("-inf")
        self._single_file = False  # after a 429: one call at a time until one gets through
        self._budget: _ServerBudget | None = None
        self._line = WaitingLine()
        self._cond = threading.Condition()

    def acquire(self, bucket: Bucket | None = None) -> Permit:
        """Block until GLOBAL (and `bucket`, if any) have room, then take a slot in each."""
        buckets: tuple[Bucket, ...] = (Bucket.GLOBAL,)
        if bucket is not None and bucket is not Bucket.GLOBAL:
            buckets = (Bucket.GLOBAL, bucket)
        me = Waiter(current_rank(), buckets, [], self._clock())
        start = me.wake
        try:
            while True:
                with self._cond:
                    permit, ready = self._try_take(me, buckets, start)
                    if permit is not None:
                        return permit
                    if ready is None:
                        # Only a completion or a slot taken can change the answer; both notify.
                        self._cond.wait(_IN_FLIGHT_POLL_SECONDS)
                        continue
                    delay, me.wake = ready - me.wake, ready
                self._sleep(delay)
        finally:
            with self._cond:
                self._line.leave(me)

    def _try_take(
        self, me: Waiter, buckets: tuple[Bucket, ...], start: float
    ) -> tuple[Permit | None, float | None]:
        """Take the slots when they are free and no caller of a lower rank could take them
        now; else (None, when to look again: None to wait for a notification)."""
        # Looked up on every pass: a bucket may be learned while this call waits.
        me.states = [s for b in buckets for s in self._windows[b]]
        now = me.wake = self._clock()
        self._line.enter(me)
        ready = self._ready_at(me.states, now)
        if ready is not None and ready <= now and self._gives_way(me, now):
            ready = None
        if ready is None or ready > now:
            return None, ready
        token, peer_wait = self._peer_slot(buckets)
        if peer_wait > 0:
            return None, now + peer_wait
        for state in me.states:
            state.in_flight += 1
        if self._budget is not None:
            self._budget.remaining -= 1
        self._line.took(me)
        self._cond.notify_all()  # the callers that gave way to this one look again
        return Permit(buckets, now - start, me.rank, token, tuple(me.states)), None

    def _gives_way(self, me: Waiter, now: float) -> bool:
        def ready_now(other: Waiter) -> bool:
            ready = self._ready_at(other.states, now)
            return ready is not None and ready <= now

        awake = now + _IN_FLIGHT_POLL_SECONDS
        return self._line.gives_way(me, awake, ready_now, self._windows)

    def release(self, permit: Permit, *, throttled: bool = False) -> None:
        """Record the call as completed now (the response arrived, or the attempt failed).

        `throttled` marks a 429: it does not end the single-file mode that `hold` starts.
        """
        with self._cond:
            now = self._clock()
            if not throttled:
                self._single_file = False
            for state in permit.states:
                state.in_flight -= 1
                state.done.append(now)
            self._line.landed(permit.rank, permit.buckets)
            for bucket in permit.buckets:
                self._remember(bucket, now)
            if self._peers is not None and permit.peer_token is not None:
                self._peers.done(permit.peer_token)
            self._cond.notify_all()

    def _peer_slot(self, buckets: tuple[Bucket, ...]) -> tuple[int | None, float]:
        if self._peers is None:
            return None, 0.0
        return self._peers.reserve([(b, s.window) for b in buckets for s in self._windows[b]])

    def _remember(self, bucket: Bucket, now: float) -> None:
        recent = self._recent.get(bucket)
        if recent is None:
            return
        recent.append(now)
        horizon = now - max(w.seconds for w in self._learnable[bucket])
        while recent and recent[0] <= horizon:
            recent.popleft()

    def learn(self, bucket: Bucket) -> tuple[Window, ...]:
        """Enforce `bucket`'s learnable windows from now on (the calls of the last window
        count); returns them, or () when the bucket already had windows or has none to learn."""
        with self._cond:
            windows = self._learnable.pop(bucket, ())
            if not windows:
                return ()
            done = self._recent.pop(bucket)
            self._windows[bucket] = [WindowState(w, deque(done)) for w in windows]
            return windows

    def tighten(self) -> Window | None:
        """Halve the limit of the shortest per-key window (a 429 came that neither our windows
        nor a category explain: the account allows a smaller burst); returns the new window."""
        with self._cond:
            states = self._windows[Bucket.GLOBAL]
            if not states:
                return None
            state = min(states, key=lambda s: s.window.seconds)
            if state.window.limit <= 1:
                return None
            state.window = Window(max(1, state.window.limit // 2), state.window.seconds)
            return state.window

    def global_full(self) -> bool:
        """True when some per-key window holds as many calls as it allows (a 429 then may
        well be the per-key limit, not a category's)."""
        with self._cond:
            now = self._clock()
            states = self._windows[Bucket.GLOBAL]
            for state in states:
                state.prune(now)
            return any(len(s.done) + s.in_flight >= s.window.limit for s in states)

    @contextmanager
    def slot(self, bucket: Bucket | None = None) -> Iterator[Permit]:
        permit = self.acquire(bucket)
        try:
            yield permit
        finally:
            self.release(permit)

    def hold(self, seconds: float) -> None:
        """Send nothing for `seconds`, then one call at a time until one is not refused.

        After a 429 every thread would otherwise retry at the same instant and be refused
        together again; going single-file lets the first retry find out whether there is room.
        """
        with self._cond:
            self._hold_until = max(self._hold_until, self._clock() + seconds)
            self._single_file = True

    def observe(self, remaining: int | None, reset_seconds: float | None) -> None:
        """Adopt the server's view from `x-ratelimit-remaining` / `x-ratelimit-reset`."""
        if remaining is None or reset_seconds is None or reset_seconds <= 0:
            return
        with self._cond:
            now = self._clock()
            # Called while the answered request still holds its slot: the server has counted
            # it, but not the other requests in flight.
            others = max((s.in_flight for s in self._windows[Bucket.GLOBAL]), default=1) - 1
            self._budget = _ServerBudget(remaining - max(others, 0), now + reset_seconds)

    def _ready_at(self, states: list[WindowState], now: float) -> float | None:
        if self._single_file and self._windows[Bucket.GLOBAL][0].in_flight > 0:
            return None
        ready = self._hold_until
        budget = self._budget
        if budget is not None:
            if now >= budget.until:
                self._budget = None
            elif budget.remaining <= 0:
                ready = max(ready, budget.until)
        for state in states:
            state.prune(now)
            at = state.ready_at(self._margin_ratio * state.window.seconds)
            if at is None:
                return None
            ready = max(ready, at)
        return ready
