"""Which unexplained leads of an add-leads answer were blocked (smartlead-api.md §5.2, §5.7).

The answer names invalid and unsubscribed leads but only counts blocked and bounced ones. With
one of the two counts, the unexplained leads are attributed to it; with both, the block list
is read for their domains (one call per domain, so at most one per refused lead), and the rest
are the bounced ones when the count says so. Leads still unexplained stay UNKNOWN, settled by
the final re-read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from smartlead_sync.smartlead.coerce import as_int, as_text
from smartlead_sync.smartlead.lead_wire import LeadBatchResult, SkipReason
from smartlead_sync.smartlead.routes import RouteMethods


def _domain(key: str) -> str:
    return key.rpartition("@")[2]


def settle_blocked(
    client: RouteMethods, result: LeadBatchResult, response: Mapping[str, Any]
) -> LeadBatchResult:
    """`result` with the unexplained leads that are on the block list marked BLOCKED."""
    unknown = [k for k, r in result.skipped.items() if r is SkipReason.UNKNOWN]
    if not unknown or not (as_int(response.get("block_count")) or 0):
        return result
    blocked: set[str] = set()
    for domain in sorted({_domain(k) for k in unknown}):
        rows = client.list_block_list(domain)
        values = {as_text(r.get("email_or_domain")).strip().lower() for r in rows}
        blocked |= {
            k for k in unknown if _domain(k) == domain and (k in values or domain in values)
        }
    skipped = dict(result.skipped)
    skipped.update(dict.fromkeys(blocked, SkipReason.BLOCKED))
    rest = [k for k in unknown if k not in blocked]
    if rest and len(rest) == (as_int(response.get("bounce_count")) or 0):
        skipped.update(dict.fromkeys(rest, SkipReason.BOUNCED))
    return replace(result, skipped=skipped)
