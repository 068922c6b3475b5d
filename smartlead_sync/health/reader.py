"""Reads of the analytics routes (smartlead-api.md §8) through the shared Smartlead client.

A guard costs one call per campaign and distinct period (`/analytics` for the whole campaign,
`/analytics-by-date` for a window); an A/B test costs one sequence read plus one
`/statistics` page per 1,000 emails of its step.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from smartlead_sync.health.analytics_counts import (
    CampaignCounts,
    Period,
    UnusableAnswer,
    counts_from_api,
)
from smartlead_sync.smartlead.analytics_routes import ANALYTICS, ANALYTICS_BY_DATE, STATISTICS
from smartlead_sync.smartlead.api_errors import ResponseError
from smartlead_sync.smartlead.client import SmartleadClient
from smartlead_sync.smartlead.coerce import as_int
from smartlead_sync.smartlead.wire import Route

STATISTICS_PAGE = 1000  # the route's cap (§8)


def _unusable(route: Route, exc: UnusableAnswer) -> ResponseError:
    return ResponseError(
        f"unusable analytics answer: {exc}",
        method=route.method,
        route=route.template,
        hint="nothing was paused or promoted on these numbers; run again later",
    )


def read_counts(client: SmartleadClient, campaign_id: int, period: Period) -> CampaignCounts:
    """A campaign's counts for `period`; no call for a period that has not started yet."""
    if period.empty:
        return CampaignCounts.empty()
    if period.start is None:
        route, params = ANALYTICS, None
    else:
        route = ANALYTICS_BY_DATE
        params = {"start_date": period.start.isoformat(), "end_date": period.end.isoformat()}
    raw = client._call(route, route.path(id=campaign_id), params=params)
    try:
        return counts_from_api(raw)
    except UnusableAnswer as exc:
        raise _unusable(route, exc) from None


def statistics_rows(
    client: SmartleadClient, campaign_id: int, seq_number: int
) -> Iterator[dict[str, Any]]:
    """Every `/statistics` row of one step, a page of 1,000 at a time."""
    offset = 0
    route = STATISTICS
    while True:
        params = {"email_sequence_number": seq_number, "offset": offset, "limit": STATISTICS_PAGE}
        raw = client._call(route, route.path(id=campaign_id), params=params)
        data = raw.get("data") if isinstance(raw, dict) else None
        if not isinstance(data, list):
            raise _unusable(route, UnusableAnswer("`data` is not a list"))
        yield from data
        offset += len(data)
        total = as_int(raw.get("total_stats"))  # a string (§8); stop without an empty page
        if len(data) < STATISTICS_PAGE or (total is not None and offset >= total):
            return
