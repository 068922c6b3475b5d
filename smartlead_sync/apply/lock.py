"""One apply at a time per project on this machine: an advisory lock in the local state folder.

The kernel releases an `flock` when its holder dies, so a lock left by a killed apply on this
host is free again at once; the holder record it left (pid, host, start time) is only what the
next run reports as taken over. A second apply waits for the holder, telling who it is, and
refuses after the timeout. Two machines never share this file: for them an apply creates its
new campaigns in one wave, lists the account once after it and resolves any duplicate, lowest
id winning (smartlead/claims.py).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from smartlead_sync.errors import ConfigError
from smartlead_sync.localstate import APPLY_LOCK, open_state

LOCK_FILE = APPLY_LOCK
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the lock, as it wrote itself into the lock file."""

    pid: int
    host: str
    started: str

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, started {self.started}"

    @classmethod
    def me(cls) -> Holder:
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return cls(os.getpid(), socket.gethostname(), started)

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        try:
            raw = json.loads(text)
            return cls(int(raw["pid"]), str(raw["host"]), str(raw["started"]))
        except (ValueError, KeyError, TypeError):
            return None

    def is_dead_here(self) -> bool:
        """True when this holder ran on this host and its process is gone."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


def _read_holder(handle: IO[str]) -> Holder | None:
    handle.seek(0)
    return Holder.parse(handle.read())


def _try_lock(handle: IO[str]) -> bool:
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def project_lock(
    project_root: Path,
    *,
    timeout: float,
    notify: Callable[[str], None],
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Holder]:
    """Hold the project's apply lock for the block; waits up to `timeout` seconds for another
    apply of the same project, then raises ConfigError naming the holder."""
    with open_state(project_root, LOCK_FILE) as handle:
        _acquire(handle, timeout, notify, clock, sleep)
        previous = _read_holder(handle)
        if previous is not None and previous.is_dead_here():
            notify(f"took over the apply lock of {previous.describe()} (no longer running)")
        me = Holder.me()
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": me.pid, "host": me.host, "started": me.started}))
        handle.flush()
        try:
            yield me
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _acquire(
    handle: IO[str],
    timeout: float,
    notify: Callable[[str], None],
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> None:
    deadline = clock() + timeout
    told = False
    while not _try_lock(handle):
        holder = _read_holder(handle)
        who = holder.describe() if holder else "another process"
        if clock() >= deadline:
            raise ConfigError(
                f"another apply of this project is running ({who}); gave up after {timeout:g}s",
                hint="wait for it to finish and run apply again, or raise --lock-timeout",
            )
        if not told:
            notify(f"waiting for the apply of {who} to finish (up to {timeout:g}s)")
            told = True
        sleep(POLL_SECONDS)
