"""The per-key rate budget shared by every process on this machine (design.md, rate limits).

Smartlead counts calls per API key, whichever process makes them, so `plan --out` followed at
once by `apply --plan`, or two commands in parallel, must pace as one. Each process records its
calls in one small JSON file per account in the project's local state folder, named by a digest
of the key (never the key): a slot is reserved under an exclusive `flock` after checking every
window against all processes' recent calls, and marked done when the response arrives (as the
in-process limiter does, smartlead/ratelimit.py). Wall-clock times, since monotonic clocks
differ between processes. Entries of processes that died mid-call are dropped.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from smartlead_sync.localstate import RATE_BUDGET_PREFIX, open_regular, state_file
from smartlead_sync.redaction import Secret
from smartlead_sync.smartlead.ratelimit import DEFAULT_MARGIN_RATIO
from smartlead_sync.tool_settings import Bucket, Window

Wall = Callable[[], float]
_IN_FLIGHT_WAIT = 0.02  # only another process's response can free the slot: look again soon
_ORPHAN_SECONDS = 300.0  # an in-flight entry this old outlived any request timeout


def account_digest(api_key: Secret, base_url: str) -> str:
    """Names an account's local files: a digest of base URL and key, which never reveals the
    key."""
    material = f"{base_url}\n{api_key.get_secret_value()}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def budget_file(project_root: Path, api_key: Secret, base_url: str) -> Callable[[], Path]:
    """The account's file; the state folder is made only when the first call is recorded."""
    name = f"{RATE_BUDGET_PREFIX}{account_digest(api_key, base_url)}.json"
    return lambda: state_file(project_root, name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SharedCalls:
    """Recent calls of one account by every process on this machine, kept in `path`."""

    def __init__(self, path: Path | Callable[[], Path], *, wall: Wall = time.time) -> None:
        self._where = path
        self._path: Path | None = None
        self._wall = wall
        self._pid = os.getpid()
        self._next_token = 0

    @contextmanager
    def _locked(self) -> Iterator[list[dict[str, Any]]]:
        if self._path is None:
            self._path = self._where() if callable(self._where) else self._where
        with open_regular(self._path, "a+") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            handle.seek(0)
            try:
                raw = json.loads(handle.read() or "[]")
                entries = [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []
            except ValueError:
                entries = []  # a torn or foreign file: it only ever held a cache
            yield entries
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(entries, separators=(",", ":")))
            handle.flush()

    def reserve(self, windows: Sequence[tuple[Bucket, Window]]) -> tuple[int | None, float]:
        """Take a slot in every window when all have room: (token, 0). Otherwise (None, the
        seconds to wait before asking again)."""
        with self._locked() as entries:
            now = self._wall()
            longest = max((w.seconds for _, w in windows), default=0.0)
            entries[:] = [e for e in entries if self._keep(e, now, longest)]
            wait = max((self._wait(entries, b, w, now) for b, w in windows), default=0.0)
            if wait > 0:
                return None, wait
            self._next_token += 1
            buckets = sorted({b.value for b, _ in windows})
            entries.append({"pid": self._pid, "token": self._next_token, "b": buckets, "at": None})
            return self._next_token, 0.0

    def done(self, token: int) -> None:
        """The reserved call's response arrived (or it failed): it counts from now."""
        with self._locked() as entries:
            for entry in entries:
                if entry.get("pid") == self._pid and entry.get("token") == token:
                    entry["at"] = self._wall()
                    entry.pop("token", None)

    def _keep(self, entry: dict[str, Any], now: float, longest: float) -> bool:
        at = entry.get("at")
        if isinstance(at, (int, float)):
            return at > now - max(longest, 1.0) * 2
        started = entry.setdefault("since", now)
        pid = entry.get("pid")
        fresh = isinstance(started, (int, float)) and now - started < _ORPHAN_SECONDS
        return fresh and isinstance(pid, int) and _alive(pid)

    @staticmethod
    def _wait(entries: list[dict[str, Any]], bucket: Bucket, window: Window, now: float) -> float:
        span = window.seconds * (1 + DEFAULT_MARGIN_RATIO)
        mine = [e for e in entries if bucket.value in (e.get("b") or ())]
        in_flight = sum(1 for e in mine if e.get("at") is None)
        done = sorted(
            float(e["at"]) for e in mine if e.get("at") is not None and e["at"] > now - span
        )
        free = window.limit - in_flight
        if free <= 0:
            return _IN_FLIGHT_WAIT
        if len(done) < free:
            return 0.0
        return max(done[len(done) - free] + span - now, _IN_FLIGHT_WAIT)
