"""The apply journal: an append-only JSONL record of every step, flushed to disk entry by entry.

The journal is evidence, not state: a killed apply is resumed by re-planning against live
Smartlead (design.md, "no state file"), never by replaying the journal. It tells a person (or a
CI artifact reader) what was attempted, what succeeded and which ids were created, so it must
survive SIGKILL: every entry is written with one `write` and `fsync`ed before the call it
announces is made. It never holds the API key or lead PII beyond masked emails.
"""

from __future__ import annotations

import json
import os
import stat
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import IO

from smartlead_sync.localstate import open_regular
from smartlead_sync.redaction import redact

JOURNAL_FORMAT_VERSION = 1
TAIL_BYTES = 16 * 1024 * 1024  # what is read back: about 80,000 steps of the latest runs

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


class JournalEvent(str, Enum):
    RUN_STARTED = "run_started"
    STEP_STARTED = "step_started"
    STEP_DONE = "step_done"
    STEP_FAILED = "step_failed"
    STEP_STOPPED = "step_stopped"  # Ctrl-C while it waited to send or to retry
    CAMPAIGN_FINISHED = "campaign_finished"
    RUN_FINISHED = "run_finished"


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Journal:
    """Appends entries to a JSONL file; thread-safe; each entry is durable when `record` returns."""

    def __init__(
        self,
        stream: IO[str] | None,
        *,
        run_id: str | None = None,
        clock: Callable[[], str] = _utc_now,
        durable: bool = True,
    ) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._clock = clock
        self._durable = durable
        self.run_id = run_id or uuid.uuid4().hex[:12]

    @classmethod
    def open(cls, path: Path, *, run_id: str | None = None, local_state: bool = False) -> Journal:
        """Open (creating parent folders) a journal file for appending; earlier runs are kept.
        With `local_state` (the default journal in `.smartlead-sync/`) it must be a regular
        file and is never written through a link (localstate.open_regular)."""
        if local_state:
            return cls(open_regular(path, "a"), run_id=run_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(path.open("a", encoding="utf-8"), run_id=run_id)

    @classmethod
    def disabled(cls) -> Journal:
        """A journal that records nothing (library callers that keep their own records)."""
        return cls(None)

    def record(self, event: JournalEvent, **fields: JsonValue) -> None:
        """Append one entry. The caller passes only PII-free values; known secrets are
        redacted here all the same."""
        if self._stream is None:
            return
        entry: dict[str, JsonValue] = {
            "v": JOURNAL_FORMAT_VERSION,
            "run": self.run_id,
            "ts": self._clock(),
            "event": event.value,
        }
        entry.update({k: v for k, v in fields.items() if v is not None})
        line = redact(json.dumps(entry, ensure_ascii=False, separators=(",", ":"))) + "\n"
        with self._lock:
            try:
                self._stream.write(line)
                self._stream.flush()
                if self._durable and hasattr(self._stream, "fileno"):
                    os.fsync(self._stream.fileno())
            except OSError as exc:  # named, so the message says which file could not be written
                raise OSError(
                    exc.errno, exc.strerror, getattr(self._stream, "name", None)
                ) from None

    def close(self) -> None:
        with self._lock:
            if self._stream is not None:
                stream, self._stream = self._stream, None
                try:
                    stream.close()
                except OSError as exc:
                    raise OSError(exc.errno, exc.strerror, getattr(stream, "name", None)) from None


@dataclass(frozen=True)
class JournalEntry:
    """One parsed line of a journal."""

    run: str
    ts: str
    event: JournalEvent
    fields: Mapping[str, object]

    def get(self, key: str) -> object:
        return self.fields.get(key)


def read_journal(path: Path, *, tail_bytes: int = TAIL_BYTES) -> Iterator[JournalEntry]:
    """Entries in file order, from at most the last `tail_bytes` of the file (the recent
    runs). A torn line (the process was killed mid-write) is skipped. Anything but a regular
    file (`--journal /dev/full`, a FIFO) has nothing to read: it is never read from."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(info.st_mode):
        return
    with path.open("rb") as stream:
        if info.st_size > tail_bytes:
            stream.seek(info.st_size - tail_bytes)
            stream.readline()  # the rest of a line cut by the seek
        for line in stream.read(tail_bytes).splitlines():
            try:
                raw = json.loads(line)
                event = JournalEvent(raw["event"])
            except (ValueError, KeyError, TypeError, RecursionError):
                continue
            yield JournalEntry(str(raw.get("run")), str(raw.get("ts")), event, raw)


@dataclass(frozen=True)
class UnfinishedRun:
    """What the journal says about an earlier apply that never wrote `run_finished`."""

    run: str
    started: str
    last_step: str | None
    steps_done: int


def find_unfinished_run(path: Path) -> UnfinishedRun | None:
    """The most recent run in the journal if it was killed before finishing, else None."""
    last: UnfinishedRun | None = None
    finished = False
    for entry in read_journal(path):
        if entry.event is JournalEvent.RUN_STARTED:
            last, finished = UnfinishedRun(entry.run, entry.ts, None, 0), False
        elif last is None or entry.run != last.run:
            continue
        elif entry.event is JournalEvent.STEP_DONE:
            described = f"{entry.get('campaign')}: {entry.get('summary')}"
            last = UnfinishedRun(last.run, last.started, described, last.steps_done + 1)
        elif entry.event is JournalEvent.RUN_FINISHED:
            finished = True
    return None if finished else last
