"""The emulated account's state in SQLite (stdlib): a file that survives restarts, or memory.

Rows keep their API-facing fields as a JSON document in `data`; the columns are only what we
query by. One connection, serialised by a lock, because the HTTP server and the in-process
transport both call in from many threads.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from smartlead_sync.emulator.seed import seed_account
from smartlead_sync.errors import ConfigError

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS campaigns (
    id INTEGER PRIMARY KEY, client_id INTEGER, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS steps (
    id INTEGER PRIMARY KEY, campaign_id INTEGER NOT NULL, seq_number INTEGER NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS steps_by_campaign ON steps (campaign_id);
CREATE TABLE IF NOT EXISTS variants (
    id INTEGER PRIMARY KEY, step_id INTEGER NOT NULL, position INTEGER NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS variants_by_step ON variants (step_id);
CREATE TABLE IF NOT EXISTS leads (
    id INTEGER PRIMARY KEY, email_key TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS campaign_leads (
    map_id INTEGER PRIMARY KEY, campaign_id INTEGER NOT NULL, lead_id INTEGER NOT NULL,
    status TEXT NOT NULL, category_id INTEGER, sent_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, UNIQUE (campaign_id, lead_id));
CREATE INDEX IF NOT EXISTS campaign_leads_by_lead ON campaign_leads (lead_id);
CREATE INDEX IF NOT EXISTS campaign_leads_by_campaign ON campaign_leads (campaign_id, map_id);
CREATE TABLE IF NOT EXISTS email_accounts (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS campaign_accounts (
    id INTEGER PRIMARY KEY, campaign_id INTEGER NOT NULL, email_account_id INTEGER NOT NULL,
    updated_at TEXT NOT NULL, UNIQUE (campaign_id, email_account_id));
CREATE TABLE IF NOT EXISTS webhooks (
    id INTEGER PRIMARY KEY, campaign_id INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS block_list (
    id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE, client_id INTEGER, source TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bounce_list (email_key TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS unsubscribed (email_key TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS categories (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clients (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS email_stats (
    id INTEGER PRIMARY KEY, campaign_id INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS email_stats_by_campaign ON email_stats (campaign_id, id);
"""

SCHEMA_VERSION = "1"

# Where each id sequence starts (§13.2): campaign ids about 7 digits; lead ids and campaign-lead
# map ids above 2^31 so that 32-bit bugs show up.
ID_STARTS: dict[str, int] = {
    "campaign": 2_710_000,
    "step": 5_100_000,
    "variant": 8_300_000,
    "webhook": 120_000,
    "email_account": 46_000,
    "campaign_account": 910_000,
    "lead": 2_995_276_000,
    "campaign_lead": 2_433_664_000,
    "block": 700_000,
    "category": 0,
    "client": 30_000,
    "email_stat": 64_000_000,
}
USER_ID = 48213


class Store:
    """SQLite state plus id counters. Use `transaction()` around every request."""

    def __init__(self, path: Path | None, clock: Callable[[], float]) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        target = str(path) if path is not None else ":memory:"
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._clock = clock
        try:
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.executescript(SCHEMA)
            with self.transaction():
                self._check_or_seed()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise ConfigError(
                f"{path} is not an emulator state file ({exc})",
                hint="point --state at another file, or delete this one to start afresh",
            ) from None

    def _check_or_seed(self) -> None:
        version = self.meta("schema_version")
        if version is not None and version != SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"schema version {version}, expected {SCHEMA_VERSION}")
        # OR IGNORE: a state file from before a sequence was added gets that sequence too.
        for name, start in ID_STARTS.items():
            self.execute("INSERT OR IGNORE INTO counters VALUES (?, ?)", (name, start))
        if version is None:
            seed_account(self)
            self.set_meta("schema_version", SCHEMA_VERSION)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Serialise and make atomic: commit on success, roll back on any exception."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return list(self._conn.execute(sql, params).fetchall())

    def scalar(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        row = self._conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def next_id(self, counter: str) -> int:
        """Mint the next id of a sequence; ids are never reused, even after deletes (§13.2)."""
        value: int = self.scalar(
            "UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value", (counter,)
        )
        return value

    def meta(self, key: str) -> str | None:
        value: str | None = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return value

    def set_meta(self, key: str, value: str) -> None:
        self.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def now(self) -> str:
        """The current time as the API formats it: ISO-8601 UTC with milliseconds."""
        moment = datetime.fromtimestamp(self._clock(), timezone.utc)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def load(row: sqlite3.Row) -> dict[str, Any]:
    """The JSON document of a row."""
    data: dict[str, Any] = json.loads(row["data"])
    return data


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"))
