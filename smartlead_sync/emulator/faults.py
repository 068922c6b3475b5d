"""Seeded fault injection: 5xx before commit, lost responses after commit, latency, forced 429."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

from smartlead_sync.emulator.config import Faults


@dataclass(frozen=True)
class FaultPlan:
    """What to do to one call."""

    latency: float = 0.0
    force_429: bool = False
    server_error: bool = False
    lose_response: str | None = None  # "drop" or "502"
    drop_write: bool = False  # answer as usual, keep nothing

    @property
    def label(self) -> str | None:
        if self.force_429:
            return "forced_429"
        if self.server_error:
            return "server_error"
        if self.lose_response:
            return f"lost_response_{self.lose_response}"
        if self.drop_write:
            return "dropped_write"
        return None


class FaultInjector:
    def __init__(self, faults: Faults) -> None:
        self._lock = threading.Lock()
        self.set(faults)

    def set(self, faults: Faults) -> None:
        """Install new faults; call numbering and the random sequence restart."""
        with self._lock:
            self._faults = faults
            self._rng = random.Random(faults.seed)
            self._calls = 0

    @property
    def faults(self) -> Faults:
        return self._faults

    def plan(self, route_name: str) -> FaultPlan:
        """Decide the faults of the next call to `route_name` ("METHOD /template")."""
        with self._lock:
            f = self._faults
            if f.routes and route_name not in f.routes:
                return FaultPlan()
            self._calls += 1
            n = self._calls
            latency = self._rng.uniform(*f.latency) if f.latency[1] > 0 else 0.0
            server_error = n in f.server_error_on_calls or self._roll(f.server_error_rate)
            lose = n in f.lose_response_on_calls or self._roll(f.lost_response_rate)
            kind = f.lost_response_kind
            if lose and kind == "mixed":
                kind = "drop" if self._rng.random() < 0.5 else "502"
            return FaultPlan(
                latency=latency,
                force_429=n in f.force_429_on_calls,
                server_error=server_error,
                lose_response=kind if lose and not server_error else None,
                drop_write=n in f.drop_write_on_calls and not server_error,
            )

    def _roll(self, rate: float) -> bool:
        return rate > 0 and self._rng.random() < rate
