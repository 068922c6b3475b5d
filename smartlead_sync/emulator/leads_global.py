"""Account-wide lead routes: by email, global unsubscribe, block list, categories (§5.4, §5.7)."""

from __future__ import annotations

from typing import Any

from smartlead_sync.emulator.exchange import joi_error, lead_not_found
from smartlead_sync.emulator.records import (
    email_key,
    find_lead,
    find_lead_by_email,
    lead_view,
)
from smartlead_sync.emulator.routing import Ctx, RouteTable
from smartlead_sync.emulator.store import Store, load
from smartlead_sync.emulator.validation import (
    check_list,
    check_optional_int,
    check_str,
    query_int,
    reject_unknown,
    require,
)
from smartlead_sync.tool_settings import Bucket

routes = RouteTable()


@routes.add("GET", "/leads")
def lead_by_email(ctx: Ctx) -> Any:
    """The lead with its campaigns, or 200 `{}` when nobody has that email (§5.4)."""
    email = ctx.query.get("email")
    if not email:
        raise joi_error('"email" is required', "email", "query")
    lead = find_lead_by_email(ctx.db, email)
    if lead is None:
        return {}
    view = lead_view(ctx.db, lead)
    view["created_at"] = lead["created_at"]
    view["lead_campaign_data"] = _campaign_data(ctx.db, lead["id"])
    return view


def _campaign_data(db: Store, lead_id: int) -> list[dict[str, Any]]:
    rows = db.all(
        "SELECT cl.map_id, cl.campaign_id, cl.category_id, c.data FROM campaign_leads cl "
        "JOIN campaigns c ON c.id = cl.campaign_id WHERE cl.lead_id = ? ORDER BY cl.map_id",
        (lead_id,),
    )
    result = []
    for row in rows:
        campaign = load(row)
        result.append(
            {
                "campaign_id": row["campaign_id"],
                "campaign_name": campaign["name"],
                "campaign_lead_map_id": row["map_id"],
                "lead_category_id": row["category_id"],
                "client_id": campaign["client_id"],
                "client_email": None,
                "last_sent_at": None,
                "last_reply_at": None,
                "last_activity_at": None,
            }
        )
    return result


@routes.add("GET", "/leads/fetch-categories")
def fetch_categories(ctx: Ctx) -> Any:
    return [load(row) for row in ctx.db.all("SELECT data FROM categories ORDER BY id")]


@routes.add("POST", "/leads/add-domain-block-list", Bucket.LEAD_WRITE)
def add_to_block_list(ctx: Ctx) -> Any:
    body = ctx.body_object()
    reject_unknown(body, ("domain_block_list", "client_id"))
    values = check_list(require(body, "domain_block_list"), "domain_block_list")
    client_id = check_optional_int(body.get("client_id"), "client_id")
    added = 0
    for index, value in enumerate(values):
        text = check_str(value, f"domain_block_list[{index}]", allow_empty=False)
        added += block(ctx.db, text, client_id, "api")
    return {"uploadCount": len(values), "totalDomainAdded": added}


def block(db: Store, email_or_domain: str, client_id: int | None, source: str) -> int:
    """Put an email or a whole domain on the block list; 1 if it was not there yet."""
    value = email_key(email_or_domain)
    if db.one("SELECT 1 FROM block_list WHERE value = ?", (value,)):
        return 0
    db.execute(
        "INSERT INTO block_list VALUES (?, ?, ?, ?, ?)",
        (db.next_id("block"), value, client_id, source, db.now()),
    )
    return 1


@routes.add("GET", "/leads/get-domain-block-list")
def list_block_list(ctx: Ctx) -> Any:
    offset = query_int(ctx.query, "offset", 0, minimum=0, maximum=10**12)
    limit = query_int(ctx.query, "limit", 100, minimum=1, maximum=1000)
    rows = ctx.db.all("SELECT * FROM block_list ORDER BY id LIMIT ? OFFSET ?", (limit, offset))
    wanted = (ctx.query.get("filter_email_or_domain") or "").lower()
    return [
        {
            "id": row["id"],
            "email_or_domain": row["value"],
            "created_at": row["created_at"],
            "source": row["source"],
            "client_id": row["client_id"],
        }
        for row in rows
        if wanted in row["value"]
    ]


@routes.add("DELETE", "/leads/delete-domain-block-list", Bucket.LEAD_WRITE)
def delete_from_block_list(ctx: Ctx) -> Any:
    raw = ctx.query.get("id") or ""
    if not raw.isdigit():
        raise joi_error('"id" must be a number', "id", "query")
    ctx.db.execute("DELETE FROM block_list WHERE id = ?", (int(raw),))
    return {"ok": True}


@routes.add("GET", "/leads/{lead_id}")
def lead_by_id(ctx: Ctx) -> Any:
    """Wrapped in `{data:[lead]}`, without campaign data ([SIM], §5.4)."""
    lead = find_lead(ctx.db, ctx.int_param("lead_id"))
    if lead is None:
        return {"data": []}
    view = lead_view(ctx.db, lead)
    view["created_at"] = lead["created_at"]
    return {"data": [view]}


@routes.add("GET", "/leads/{lead_id}/campaigns")
def lead_campaigns(ctx: Ctx) -> Any:
    lead = find_lead(ctx.db, ctx.int_param("lead_id"))
    if lead is None:
        raise lead_not_found()
    rows = ctx.db.all(
        "SELECT c.data FROM campaign_leads cl JOIN campaigns c ON c.id = cl.campaign_id "
        "WHERE cl.lead_id = ? ORDER BY cl.map_id",
        (lead["id"],),
    )
    return [{"id": d["id"], "status": d["status"], "name": d["name"]} for d in map(load, rows)]


@routes.add("POST", "/leads/{lead_id}/unsubscribe", Bucket.LEAD_WRITE)
def unsubscribe_globally(ctx: Ctx) -> Any:
    lead = find_lead(ctx.db, ctx.int_param("lead_id"))
    if lead is None:
        raise lead_not_found()
    unsubscribe(ctx.db, lead["email"])
    return {"ok": True}


def unsubscribe(db: Store, email: str) -> None:
    """Block future imports and stop the lead in every campaign (§5.7; STOPPED is §13.8's guess)."""
    key = email_key(email)
    db.execute("INSERT OR IGNORE INTO unsubscribed VALUES (?, ?)", (key, db.now()))
    db.execute(
        "UPDATE campaign_leads SET status = 'STOPPED' WHERE lead_id IN "
        "(SELECT id FROM leads WHERE email_key = ?)",
        (key,),
    )
