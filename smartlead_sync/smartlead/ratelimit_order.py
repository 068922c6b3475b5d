"""Who goes first when several callers could take the same free slot (ratelimit.py).

The caller of the lowest rank does: the apply runs each campaign's calls at the campaign's place
in the plan (`ranked`), so that the first campaigns get through their campaign writes and on to
their lead uploads while later ones wait, instead of every campaign advancing in step and the
lead bucket idling until the last settings are written. A caller whose own bucket is full never
holds back another whose bucket has room. The line is guarded by the limiter's lock.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from smartlead_sync.tool_settings import Bucket, Window

# The rank of the calls the current thread makes; None (reads outside any campaign) goes first.
_RANK: ContextVar[int | None] = ContextVar("smartlead_sync_call_rank", default=None)
FIRST = float("-inf")


@contextmanager
def ranked(rank: int) -> Iterator[None]:
    """Calls made inside take a free slot before those of higher ranks waiting for it too."""
    token = _RANK.set(rank)
    try:
        yield
    finally:
        _RANK.reset(token)


def current_rank() -> float:
    rank = _RANK.get()
    return FIRST if rank is None else rank


@dataclass
class WindowState:
    window: Window
    done: deque[float] = field(default_factory=deque)  # completion times, ascending
    in_flight: int = 0

    def prune(self, now: float) -> None:
        horizon = now - self.window.seconds
        while self.done and self.done[0] <= horizon:
            self.done.popleft()

    def ready_at(self, margin: float) -> float | None:
        """Earliest time a new call fits, or None while in-flight calls fill the window."""
        free = self.window.limit - self.in_flight  # slots left for completed calls + this one
        if free <= 0:
            return None
        if len(self.done) < free:
            return float("-inf")
        return self.done[len(self.done) - free] + self.window.seconds + margin


@dataclass
class Waiter:
    """A caller in `acquire`: its rank, buckets, their windows, and when it looks again (now
    while it waits on the condition)."""

    rank: float
    buckets: tuple[Bucket, ...]
    states: list[WindowState]
    wake: float


class WaitingLine:
    """The callers waiting, and the ranks of the calls in flight per bucket."""

    def __init__(self) -> None:
        self._waiting: dict[int, Waiter] = {}  # by id
        self._flying: dict[Bucket, Counter[float]] = {b: Counter() for b in Bucket}

    def enter(self, waiter: Waiter) -> None:
        self._waiting[id(waiter)] = waiter

    def leave(self, waiter: Waiter) -> None:
        self._waiting.pop(id(waiter), None)

    def took(self, waiter: Waiter) -> None:
        self.leave(waiter)
        for bucket in waiter.buckets:
            self._flying[bucket][waiter.rank] += 1

    def landed(self, rank: float, buckets: tuple[Bucket, ...]) -> None:
        for bucket in buckets:
            flying = self._flying[bucket]
            flying[rank] -= 1
            if not flying[rank]:
                del flying[rank]

    def gives_way(
        self,
        me: Waiter,
        awake: float,
        ready_now: Callable[[Waiter], bool],
        windows: Mapping[Bucket, list[WindowState]],
    ) -> bool:
        """True when a caller of a lower rank goes first: one that looks again before `awake`
        and could take its slots now, or, in a category bucket, as many as the slots left
        there, counting those whose last call there is still in flight (likely to come back)."""
        ahead = [o for o in self._waiting.values() if o.rank < me.rank]
        if any(o.wake <= awake and ready_now(o) for o in ahead):
            return True
        for bucket in me.buckets[1:]:
            states = windows[bucket]
            if not states:
                continue
            left = min(s.window.limit - len(s.done) - s.in_flight for s in states)
            flying = sum(n for rank, n in self._flying[bucket].items() if rank < me.rank)
            if left <= flying + sum(1 for o in ahead if bucket in o.buckets):
                return True
        return False
