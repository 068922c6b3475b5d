"""The largest lead batch the account accepts, found safely and remembered between runs.

The documented cap moved from 100 to 350 to 400 (smartlead-api.md §5.2), and no live refusal
was captured. Apply sends the configured size; a batch refused with a 400 is not imported
(Smartlead validates the list before it adds a row), so it is sent again in smaller parts: the
size the refusal names ("at most N leads"), else half, never below `SAFE_BATCH` (every
documented cap allows it, so a refusal there is about something else and is raised). A
learned cap is kept in the project's local state (`localstate.py`) so the next run starts with
it.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from pathlib import Path

from smartlead_sync.errors import ConfigError
from smartlead_sync.localstate import open_state, read_state

SAFE_BATCH = 100  # every documented cap allows this many (§5.2)
BATCH_CAP_FILE = "lead-batch-cap.json"
_AT_MOST = re.compile(r"(?:at most|max(?:imum)?(?: of)?|up to|upto)\s+(\d+)", re.IGNORECASE)


class BatchCap:
    """The batch size to send now; thread-safe, shared by every campaign of a run."""

    def __init__(self, size: int, on_learned: Callable[[int], None] = lambda _n: None) -> None:
        self._size = size
        self._on_learned = on_learned
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        with self._lock:
            return self._size

    def refused(self, sent: int, message: str) -> bool:
        """A batch of `sent` leads was refused with `message`: lower the cap and return True,
        or False when a smaller batch would not help (the refusal is about something else)."""
        named = _AT_MOST.search(message) if "lead" in message.lower() else None
        if named is not None:
            smaller = int(named.group(1))
            if not 1 <= smaller < sent:
                return False
        elif sent > SAFE_BATCH:
            smaller = max(SAFE_BATCH, sent // 2)
        else:
            return False
        with self._lock:
            if smaller < self._size:
                self._size = smaller
                learned = True
            else:
                learned = False
        if learned:
            self._on_learned(smaller)
        return True


def load_cap(project_root: Path, base_url: str) -> int | None:
    """The cap learned earlier for the API at `base_url`, or None (also for an unreadable
    file: it is a cache, and the refusal that taught it would teach it again)."""
    try:
        caps = json.loads(read_state(project_root, BATCH_CAP_FILE) or "{}")
        value = caps.get(base_url) if isinstance(caps, dict) else None
    except (OSError, ValueError):
        return None
    return value if isinstance(value, int) and value >= 1 else None


def save_cap(project_root: Path, base_url: str, size: int) -> None:
    """Remember `size` for `base_url`; a failure to write is ignored (a cache only)."""
    try:
        caps = json.loads(read_state(project_root, BATCH_CAP_FILE) or "{}")
        caps = caps if isinstance(caps, dict) else {}
        caps[base_url] = size
        with open_state(project_root, BATCH_CAP_FILE, "w") as handle:
            handle.write(json.dumps(caps, indent=2, sort_keys=True) + "\n")
    except (OSError, ValueError, ConfigError):  # a link is refused, never written through
        pass
