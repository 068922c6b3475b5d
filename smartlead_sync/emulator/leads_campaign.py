"""A campaign's leads: list, CSV export, update, delete and per-lead actions (§5.3, §5.5-§5.7)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from smartlead_sync.emulator.exchange import (
    Response,
    flat_error,
    joi_error,
    lead_not_found,
    text_response,
)
from smartlead_sync.emulator.records import (
    LEAD_FIELDS,
    find_lead,
    find_lead_by_email,
    lead_view,
    require_campaign,
    save_lead,
)
from smartlead_sync.emulator.routing import Ctx, RouteTable
from smartlead_sync.emulator.validation import (
    as_object,
    check_bool,
    check_optional_int,
    check_str,
    query_int,
    reject_unknown,
    require,
)
from smartlead_sync.tool_settings import Bucket

routes = RouteTable()

LEAD_STATUSES = ("STARTED", "INPROGRESS", "COMPLETED", "PAUSED", "STOPPED", "BLOCKED")
EXPORT_COLUMNS = (
    "id",
    "campaign_lead_map_id",
    "status",
    "category",
    "is_interested",
    "created_at",
    "first_name",
    "last_name",
    "email",
    "phone_number",
    "company_name",
    "website",
    "location",
    "custom_fields",
    "linkedin_profile",
    "company_url",
    "is_unsubscribed",
    "unsubscribed_client_id_map",
    "last_email_sequence_sent",
    "open_count",
    "click_count",
    "reply_count",
)
_MEMBERSHIP_SQL = (
    "SELECT cl.*, l.data, u.email_key IS NOT NULL AS unsubscribed FROM campaign_leads cl "
    "JOIN leads l ON l.id = cl.lead_id LEFT JOIN unsubscribed u ON u.email_key = l.email_key "
    "WHERE cl.campaign_id = ?"
)


@routes.add("GET", "/campaigns/{campaign_id}/leads")
def list_leads(ctx: Ctx) -> Any:
    """Insertion order, `offset`/`limit` (limit at most 100), `total_leads` as a string (§5.3)."""
    campaign_id = require_campaign(ctx)["id"]
    offset = query_int(ctx.query, "offset", 0, minimum=0, maximum=10**12)
    limit = query_int(ctx.query, "limit", 100, minimum=1, maximum=100)
    sql, params = _MEMBERSHIP_SQL, [campaign_id]
    status = ctx.query.get("status")
    if status:
        if status not in LEAD_STATUSES:
            message = f'"status" must be one of [{", ".join(LEAD_STATUSES)}]'
            raise joi_error(message, "status", "query")
        sql += " AND cl.status = ?"
        params.append(status)
    count_sql = (
        "SELECT COUNT(*) FROM campaign_leads cl WHERE cl.campaign_id = ?"
        + sql[len(_MEMBERSHIP_SQL) :]
    )
    total = ctx.db.scalar(count_sql, tuple(params))
    rows = ctx.db.all(f"{sql} ORDER BY cl.map_id LIMIT ? OFFSET ?", (*params, limit, offset))
    data = [
        {
            "campaign_lead_map_id": row["map_id"],
            "lead_category_id": row["category_id"],
            "status": row["status"],
            "created_at": row["created_at"],
            "lead": lead_view(ctx.db, json.loads(row["data"]), bool(row["unsubscribed"])),
        }
        for row in rows
    ]
    return {"total_leads": str(total), "offset": offset, "limit": limit, "data": data}


@routes.add("GET", "/campaigns/{campaign_id}/leads-export")
def export_leads(ctx: Ctx) -> Response:
    """Every lead of the campaign as CSV, custom fields as a JSON blob (§5.7)."""
    campaign_id = require_campaign(ctx)["id"]
    categories = {
        int(r["id"]): json.loads(r["data"])["name"] for r in ctx.db.all("SELECT * FROM categories")
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in ctx.db.all(f"{_MEMBERSHIP_SQL} ORDER BY cl.map_id", (campaign_id,)):
        lead = json.loads(row["data"])
        category = categories.get(row["category_id"]) if row["category_id"] else ""
        values: dict[str, Any] = {key: lead.get(key) or "" for key in LEAD_FIELDS}
        values.update(
            id=lead["id"],
            campaign_lead_map_id=row["map_id"],
            status=row["status"],
            category=category or "",
            is_interested=str(row["category_id"] == 1).lower(),
            created_at=row["created_at"],
            custom_fields=json.dumps(lead.get("custom_fields") or {}),
            is_unsubscribed=str(bool(row["unsubscribed"])).lower(),
            unsubscribed_client_id_map="{}",
            last_email_sequence_sent=row["sent_count"] or "",
            open_count=0,
            click_count=0,
            reply_count=0,
        )
        writer.writerow([values[column] for column in EXPORT_COLUMNS])
    response = text_response(out.getvalue(), content_type="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="campaign_{campaign_id}_leads.csv"'
    )
    return response


def _membership(ctx: Ctx, id_param: str = "lead_id") -> tuple[int, dict[str, Any]]:
    """(campaign id, lead) for a lead of this campaign, else 404 `Lead not found` (§2.3)."""
    campaign_id = require_campaign(ctx)["id"]
    lead = find_lead(ctx.db, ctx.int_param(id_param))
    member = lead and ctx.db.one(
        "SELECT 1 FROM campaign_leads WHERE campaign_id = ? AND lead_id = ?",
        (campaign_id, lead["id"]),
    )
    if not lead or not member:
        raise lead_not_found()
    return campaign_id, lead


@routes.add("POST", "/campaigns/{campaign_id}/leads/{lead_id}", Bucket.LEAD_WRITE)
def update_lead(ctx: Ctx) -> Any:
    """Account-wide edit; `email` is required; custom fields merge into the old ones (§5.5)."""
    _, lead = _membership(ctx)
    body = ctx.body_object()
    reject_unknown(body, (*LEAD_FIELDS, "custom_fields"))
    email = check_str(require(body, "email"), "email", allow_empty=False).strip()
    owner = find_lead_by_email(ctx.db, email)
    if owner is not None and owner["id"] != lead["id"]:
        raise flat_error(f"Lead with email {email} already exists")
    for key in LEAD_FIELDS:
        if key in body:
            lead[key] = None if body[key] is None else str(body[key])
    lead["email"] = email
    custom = as_object(body.get("custom_fields") or {}, "custom_fields")
    merged = {**(lead.get("custom_fields") or {}), **{k: str(v) for k, v in custom.items()}}
    if len(merged) > ctx.config.custom_field_cap:
        raise flat_error(
            f"Custom fields limit exceeded - the maximum is {ctx.config.custom_field_cap}"
        )
    lead["custom_fields"] = merged
    ctx.db.execute("DELETE FROM leads WHERE id = ?", (lead["id"],))
    save_lead(ctx.db, lead)
    return {"ok": True}


@routes.add("DELETE", "/campaigns/{campaign_id}/leads/{lead_id}", Bucket.LEAD_WRITE)
def delete_lead(ctx: Ctx) -> Any:
    """Removes the lead from this campaign only; observed answer: plain text `success` (§5.6)."""
    campaign_id, lead = _membership(ctx)
    ctx.db.execute(
        "DELETE FROM campaign_leads WHERE campaign_id = ? AND lead_id = ?",
        (campaign_id, lead["id"]),
    )
    if ctx.config.delete_lead_response == "json":
        return {"ok": True}
    return text_response("success")


def _set_status(ctx: Ctx, campaign_id: int, lead_id: int, status: str) -> None:
    ctx.db.execute(
        "UPDATE campaign_leads SET status = ? WHERE campaign_id = ? AND lead_id = ?",
        (status, campaign_id, lead_id),
    )


@routes.add("POST", "/campaigns/{campaign_id}/leads/{lead_id}/pause", Bucket.LEAD_WRITE)
def pause_lead(ctx: Ctx) -> Any:
    campaign_id, lead = _membership(ctx)
    _set_status(ctx, campaign_id, lead["id"], "PAUSED")
    return {"ok": True, "data": "success"}


@routes.add("POST", "/campaigns/{campaign_id}/leads/{lead_id}/resume", Bucket.LEAD_WRITE)
def resume_lead(ctx: Ctx) -> Any:
    """INPROGRESS once something was sent, STARTED otherwise (§13.8)."""
    campaign_id, lead = _membership(ctx)
    body = ctx.body_object()
    reject_unknown(body, ("resume_lead_with_delay_days",))
    check_optional_int(body.get("resume_lead_with_delay_days"), "resume_lead_with_delay_days")
    sent = ctx.db.scalar(
        "SELECT sent_count FROM campaign_leads WHERE campaign_id = ? AND lead_id = ?",
        (campaign_id, lead["id"]),
    )
    _set_status(ctx, campaign_id, lead["id"], "INPROGRESS" if sent else "STARTED")
    return {"ok": True, "data": "success"}


@routes.add("POST", "/campaigns/{campaign_id}/leads/{lead_id}/unsubscribe", Bucket.LEAD_WRITE)
def unsubscribe_from_campaign(ctx: Ctx) -> Any:
    campaign_id, lead = _membership(ctx)
    _set_status(ctx, campaign_id, lead["id"], "STOPPED")
    return {"ok": True}


@routes.add("POST", "/campaigns/{campaign_id}/leads/{lead_id}/category", Bucket.LEAD_WRITE)
def set_category(ctx: Ctx) -> Any:
    campaign_id, lead = _membership(ctx)
    body = ctx.body_object()
    reject_unknown(body, ("category_id", "pause_lead"))
    category_id = check_optional_int(require(body, "category_id"), "category_id")
    if category_id is not None and not ctx.db.one(
        "SELECT 1 FROM categories WHERE id = ?", (category_id,)
    ):
        raise flat_error(f"Invalid category - {category_id}")
    ctx.db.execute(
        "UPDATE campaign_leads SET category_id = ? WHERE campaign_id = ? AND lead_id = ?",
        (category_id, campaign_id, lead["id"]),
    )
    if check_bool(body.get("pause_lead", False), "pause_lead"):
        _set_status(ctx, campaign_id, lead["id"], "PAUSED")
    return {"ok": True}


@routes.add("POST", "/campaigns/{campaign_id}/leads/{map_id}/manual-complete", Bucket.LEAD_WRITE)
def manual_complete(ctx: Ctx) -> Any:
    """Takes the campaign_lead_map_id, not the lead id (§5.6)."""
    campaign_id = require_campaign(ctx)["id"]
    map_id = ctx.int_param("map_id")
    updated = ctx.db.execute(
        "UPDATE campaign_leads SET status = 'COMPLETED' WHERE campaign_id = ? AND map_id = ?",
        (campaign_id, map_id),
    ).rowcount
    if not updated:
        raise lead_not_found()
    return {"ok": True, "status": {"isLastSequence": True, "nextSequence": None}}
