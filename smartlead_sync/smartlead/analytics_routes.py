"""The analytics routes health reads (smartlead-api.md §8); all plain reads, safe to retry."""

from __future__ import annotations

from smartlead_sync.smartlead.retry import CallKind
from smartlead_sync.smartlead.wire import Route

ANALYTICS = Route("GET", "/campaigns/{id}/analytics", CallKind.READ)
ANALYTICS_BY_DATE = Route("GET", "/campaigns/{id}/analytics-by-date", CallKind.READ)
STATISTICS = Route("GET", "/campaigns/{id}/statistics", CallKind.READ)
