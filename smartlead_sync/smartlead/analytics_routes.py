"""The analytics routes health reads (smartlead-api.md §8); all plain reads, safe to retry.

Their shapes are checked loosely here (an object; a statistics page with a `data` list): the
counts themselves are checked by `health.analytics_counts`, which knows which ones a verdict needs.
"""

from __future__ import annotations

from typing import Any

from smartlead_sync.smartlead.response_bodies import ObjectOf
from smartlead_sync.smartlead.retry import CallKind
from smartlead_sync.smartlead.shapes import ApiInt, ApiModel
from smartlead_sync.smartlead.wire import Route


class AnalyticsCounts(ApiModel):
    """Counts as strings (§8); which ones must be present is `health.analytics_counts`' call."""


class StatisticsPage(ApiModel):
    data: list[dict[str, Any]]
    total_stats: ApiInt | None = None


_COUNTS = ObjectOf(AnalyticsCounts, "an object of campaign counts")
ANALYTICS = Route("GET", "/campaigns/{id}/analytics", CallKind.READ, _COUNTS)
ANALYTICS_BY_DATE = Route("GET", "/campaigns/{id}/analytics-by-date", CallKind.READ, _COUNTS)
STATISTICS = Route(
    "GET",
    "/campaigns/{id}/statistics",
    CallKind.READ,
    ObjectOf(StatisticsPage, "a page of email statistics {total_stats, data}"),
)
