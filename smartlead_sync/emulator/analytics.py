"""Analytics and statistics routes (smartlead-api.md §8), counted from the simulated sends.

`/analytics` and `/analytics-by-date` give counts as strings; their `reply_count` counts leads
that replied, while `/statistics` lists one row per email, so the two disagree when a lead
replies twice (§8, [FN-LIVE]). Bounces and emails sent are counted per email.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from smartlead_sync.emulator.exchange import flat_error, joi_error
from smartlead_sync.emulator.records import require_campaign
from smartlead_sync.emulator.routing import Ctx, RouteTable
from smartlead_sync.emulator.store import Store, load
from smartlead_sync.emulator.validation import query_int

routes = RouteTable()

MAX_STATISTICS_PAGE = 1000
MAX_RANGE_DAYS = 30
EMAIL_STATUS_FIELDS = {
    "opened": "open_time",
    "clicked": "click_time",
    "replied": "reply_time",
}
RANGE_ERROR = "Invalid start_date & end_date range. Date difference should be max of 30days."


def _rows(db: Store, campaign_id: int) -> list[dict[str, Any]]:
    sql = "SELECT data FROM email_stats WHERE campaign_id = ? ORDER BY id"
    return [load(r) for r in db.all(sql, (campaign_id,))]


def _lead_stats(db: Store, campaign_id: int) -> dict[str, Any]:
    statuses = {
        row["status"]: row["n"]
        for row in db.all(
            "SELECT status, COUNT(*) AS n FROM campaign_leads WHERE campaign_id = ? "
            "GROUP BY status",
            (campaign_id,),
        )
    }
    total = sum(statuses.values())
    return {
        "total": total,
        "blocked": statuses.get("BLOCKED", 0),
        "stopped": statuses.get("STOPPED", 0),
        "completed": statuses.get("COMPLETED", 0),
        "inprogress": statuses.get("INPROGRESS", 0),
        "notStarted": statuses.get("STARTED", 0),
        "paused": statuses.get("PAUSED", 0),
    }


def counts(rows: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The count fields of an analytics answer, as strings (§8)."""
    rows = list(rows)

    def leads(flag: str) -> int:
        return len({r["lead_email"] for r in rows if r.get(flag)})

    numbers = {
        "sent_count": len(rows),
        "unique_sent_count": len({r["lead_email"] for r in rows}),
        "open_count": sum(1 for r in rows if r.get("open_time")),
        "unique_open_count": leads("open_time"),
        "click_count": sum(1 for r in rows if r.get("click_time")),
        "unique_click_count": leads("click_time"),
        "reply_count": leads("reply_time"),  # per lead, unlike /statistics
        "bounce_count": sum(1 for r in rows if r.get("is_bounced")),
        "unsubscribed_count": leads("is_unsubscribed"),
        "block_count": 0,
    }
    return {key: str(value) for key, value in numbers.items()}


def _header(ctx: Ctx, campaign: dict[str, Any]) -> dict[str, Any]:
    steps = ctx.db.scalar("SELECT COUNT(*) FROM steps WHERE campaign_id = ?", (campaign["id"],))
    return {
        "id": campaign["id"],
        "user_id": campaign.get("user_id"),
        "created_at": campaign.get("created_at"),
        "status": campaign["status"],
        "name": campaign["name"],
        "sequence_count": str(steps),
        "drafted_count": "0",
        "tags": [],
        "client_id": campaign.get("client_id"),
        "client_name": None,
        "client_email": None,
        "parent_campaign_id": campaign.get("parent_campaign_id"),
    }


@routes.add("GET", "/campaigns/{campaign_id}/analytics")
def analytics(ctx: Ctx) -> Any:
    """Lifetime counts of one campaign, as strings, with its lead stats (§8)."""
    campaign = require_campaign(ctx)
    lead_stats = _lead_stats(ctx.db, campaign["id"])
    return {
        **_header(ctx, campaign),
        **counts(_rows(ctx.db, campaign["id"])),
        "total_count": str(lead_stats["total"]),
        "campaign_lead_stats": lead_stats,
    }


def _date(ctx: Ctx, name: str) -> date:
    raw = ctx.query.get(name)
    if not raw:
        raise joi_error(f'"{name}" is required', name, "query")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise joi_error(f'"{name}" must be a date in YYYY-MM-DD format', name, "query") from None


def _sent_on(row: dict[str, Any], start: date, end: date) -> bool:
    return start <= date.fromisoformat(str(row["sent_time"])[:10]) <= end


@routes.add("GET", "/campaigns/{campaign_id}/analytics-by-date")
def analytics_by_date(ctx: Ctx) -> Any:
    """The same counts for emails sent between two dates, both included, at most 30 days."""
    campaign = require_campaign(ctx)
    start, end = _date(ctx, "start_date"), _date(ctx, "end_date")
    if end < start or end - start > timedelta(days=MAX_RANGE_DAYS):
        raise flat_error(RANGE_ERROR)
    rows = [r for r in _rows(ctx.db, campaign["id"]) if _sent_on(r, start, end)]
    return {
        **_header(ctx, campaign),
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        **counts(rows),
    }


def _matches_status(row: dict[str, Any], status: str | None) -> bool:
    if status is None:
        return True
    if status == "bounced":
        return bool(row.get("is_bounced"))
    if status == "unsubscribed":
        return bool(row.get("is_unsubscribed"))
    return bool(row.get(EMAIL_STATUS_FIELDS[status]))


@routes.add("GET", "/campaigns/{campaign_id}/statistics")
def statistics(ctx: Ctx) -> Any:
    """One row per email sent, paged by `offset`/`limit` (limit at most 1000), filtered by step,
    email status and sent dates (§8)."""
    campaign = require_campaign(ctx)
    query = ctx.query
    offset = query_int(query, "offset", 0, minimum=0, maximum=10**9)
    limit = query_int(query, "limit", 100, minimum=1, maximum=MAX_STATISTICS_PAGE)
    step = query.get("email_sequence_number")
    status = query.get("email_status") or None
    allowed = (*EMAIL_STATUS_FIELDS, "bounced", "unsubscribed")
    if status is not None and status not in allowed:
        message = f'"email_status" must be one of [{", ".join(allowed)}]'
        raise joi_error(message, "email_status", "query")
    rows = _rows(ctx.db, campaign["id"])
    if step:
        rows = [r for r in rows if str(r["sequence_number"]) == step]
    rows = [r for r in rows if _matches_status(r, status)]
    start, end = query.get("sent_time_start_date"), query.get("sent_time_end_date")
    if start or end:
        low = date.fromisoformat(start) if start else date.min
        high = date.fromisoformat(end) if end else date.max
        rows = [r for r in rows if _sent_on(r, low, high)]
    return {
        "total_stats": str(len(rows)),
        "data": rows[offset : offset + limit],
        "offset": offset,
        "limit": limit,
    }
