"""Analytics answers (smartlead-api.md §8) parsed into numbers, and the periods they cover.

Counts come as strings (`sent_count: "14"`); a count that is missing or not a number makes the
whole answer unusable (fail closed: a guard must never read "no bounces" from a broken answer).
`/analytics` counts replies per lead; `/statistics` lists one row per email, so per-variant
figures, which only `/statistics` has, count replies per email (§8).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from smartlead_sync.health.spec import MAX_WINDOW_DAYS, GuardSpec
from smartlead_sync.smartlead.coerce import as_int


class UnusableAnswer(ValueError):
    """An analytics answer without the counts it must have; the message names the field."""


@dataclass(frozen=True)
class Period:
    """Emails sent from `start` to `end` (both included); `start` None: since the beginning."""

    start: date | None
    end: date

    @property
    def empty(self) -> bool:
        return self.start is not None and self.start > self.end

    def describe(self) -> str:
        if self.start is None:
            return "whole campaign"
        if self.empty:
            return f"after {self.end.isoformat()} (nothing yet)"
        days = (self.end - self.start).days + 1
        return f"{self.start.isoformat()}..{self.end.isoformat()} ({days} days)"


def guard_period(guard: GuardSpec, today: date) -> Period:
    """What a guard counts: its window, cut to the emails sent after its acknowledgement, and
    never more than the 30 days analytics-by-date can answer."""
    start: date | None = None
    if guard.window_days is not None:
        start = today - timedelta(days=guard.window_days - 1)
    if guard.acknowledged is not None:
        after = guard.acknowledged + timedelta(days=1)
        start = after if start is None else max(start, after)
        start = max(start, today - timedelta(days=MAX_WINDOW_DAYS))
    return Period(start, today)


@dataclass(frozen=True)
class CampaignCounts:
    """A campaign's counts for one period. Emails sent and bounces count emails; replies,
    unsubscribes and `unique_sent` count leads (§8)."""

    sent: int
    unique_sent: int
    opens: int
    clicks: int
    replies: int
    bounces: int
    unsubscribes: int
    lead_stats: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> CampaignCounts:
        return cls(0, 0, 0, 0, 0, 0, 0)


_COUNT_FIELDS = {
    "sent": "sent_count",
    "unique_sent": "unique_sent_count",
    "opens": "open_count",
    "clicks": "click_count",
    "replies": "reply_count",
    "bounces": "bounce_count",
    "unsubscribes": "unsubscribed_count",
}


def _count(raw: Mapping[str, Any], name: str) -> int:
    value = as_int(raw.get(name))
    if value is None or value < 0:
        raise UnusableAnswer(f"`{name}` is {raw.get(name)!r}, not a count")
    return value


def counts_from_api(raw: Any) -> CampaignCounts:
    """The counts of an `/analytics` or `/analytics-by-date` answer; UnusableAnswer if any is
    missing. `campaign_lead_stats` is optional (only the lifetime route has it)."""
    if not isinstance(raw, Mapping):
        raise UnusableAnswer("expected a JSON object")
    numbers = {attr: _count(raw, name) for attr, name in _COUNT_FIELDS.items()}
    lead_stats_raw = raw.get("campaign_lead_stats")
    lead_stats: dict[str, int] = {}
    if isinstance(lead_stats_raw, Mapping):
        for key, value in lead_stats_raw.items():
            number = as_int(value)
            if number is not None:
                lead_stats[str(key)] = number
    return CampaignCounts(**numbers, lead_stats=lead_stats)


@dataclass(frozen=True)
class VariantCounts:
    """One variant's emails of one step, from `/statistics` rows (replies per email)."""

    sends: int = 0
    opens: int = 0
    clicks: int = 0
    replies: int = 0
    positive_replies: int = 0


def variant_counts(
    rows: Iterable[Any], positive_categories: frozenset[str]
) -> dict[int | None, VariantCounts]:
    """Counts by `seq_variant_id` (None: the step has no variants). Only `reply_time` marks a
    reply; `lead_category` is a label on the lead, positive when in `positive_categories` (§8)."""
    tallies: dict[int | None, list[int]] = {}
    for row in rows:
        if not isinstance(row, Mapping):
            raise UnusableAnswer("a statistics row is not an object")
        variant = as_int(row.get("seq_variant_id"))
        tally = tallies.setdefault(variant, [0, 0, 0, 0, 0])
        replied = bool(row.get("reply_time"))
        category = row.get("lead_category")
        positive = replied and isinstance(category, str) and category in positive_categories
        for i, hit in enumerate(
            (True, bool(row.get("open_time")), bool(row.get("click_time")), replied, positive)
        ):
            tally[i] += int(hit)
    return {key: VariantCounts(*values) for key, values in tallies.items()}
