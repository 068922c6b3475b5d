"""Per-campaign webhooks: bare-array list, upsert by id, delete by body id (§7.1, §13.10)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from smartlead_sync.emulator.exchange import flat_error
from smartlead_sync.emulator.records import require_campaign
from smartlead_sync.emulator.routing import Ctx, RouteTable
from smartlead_sync.emulator.store import Store, dump, load
from smartlead_sync.emulator.validation import check_int, check_str, reject_unknown, require
from smartlead_sync.tool_settings import Bucket

routes = RouteTable()

# The 11 names the sources agree on (§7.2); the look-alikes in some doc versions are rejected.
EVENT_TYPES = (
    "EMAIL_SENT",
    "EMAIL_OPEN",
    "EMAIL_LINK_CLICK",
    "EMAIL_REPLY",
    "LEAD_UNSUBSCRIBED",
    "LEAD_CATEGORY_UPDATED",
    "EMAIL_BOUNCE",
    "FIRST_EMAIL_SENT",
    "CAMPAIGN_STATUS_CHANGED",
    "UNTRACKED_REPLIES",
    "MANUAL_STEP_REACHED",
)


@routes.add("GET", "/campaigns/{campaign_id}/webhooks")
def list_webhooks(ctx: Ctx) -> Any:
    campaign_id = require_campaign(ctx)["id"]
    rows = ctx.db.all("SELECT data FROM webhooks WHERE campaign_id = ? ORDER BY id", (campaign_id,))
    return [load(row) for row in rows]


@routes.add("POST", "/campaigns/{campaign_id}/webhooks", Bucket.WEBHOOK_WRITE)
def upsert_webhook(ctx: Ctx) -> Any:
    """`id` null creates, an existing id updates; URL, events and categories are checked."""
    campaign_id = require_campaign(ctx)["id"]
    body = ctx.body_object()
    reject_unknown(body, ("id", "name", "webhook_url", "event_types", "categories"))
    name = check_str(require(body, "name"), "name", allow_empty=False)
    url = body.get("webhook_url")
    if not _valid_url(url):
        raise flat_error(f"Invalid webhook_url - {url}")
    events = body.get("event_types")
    if not isinstance(events, list) or not events:
        raise flat_error(f"Invalid event_types - {events}")
    for event in events:
        if event not in EVENT_TYPES:
            raise flat_error(f"Invalid event_types - {event}")
    category_ids = _category_ids(ctx.db, body.get("categories"))
    doc = _existing(ctx, campaign_id, body.get("id"))
    now = ctx.db.now()
    if doc is None:
        doc = {"id": ctx.db.next_id("webhook"), "created_at": now}
    doc.update(
        name=name,
        updated_at=now,
        webhook_url=url,
        email_campaign_id=campaign_id,
        event_types=list(dict.fromkeys(events)),
        categories=list(category_ids),
    )
    ctx.db.execute(
        "INSERT OR REPLACE INTO webhooks VALUES (?, ?, ?)", (doc["id"], campaign_id, dump(doc))
    )
    return _upsert_response(ctx, doc, category_ids)


def _valid_url(url: Any) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _category_ids(db: Store, categories: Any) -> dict[str, int]:
    """Category name -> id; the list must be non-empty and name existing categories ([SIM])."""
    if not isinstance(categories, list) or not categories:
        raise flat_error(f"Invalid category - {categories}")
    known = {load(row)["name"]: int(row["id"]) for row in db.all("SELECT * FROM categories")}
    result: dict[str, int] = {}
    for name in categories:
        if name not in known:
            raise flat_error(f"Invalid category - {name}")
        result[name] = known[name]
    return result


def _existing(ctx: Ctx, campaign_id: int, webhook_id: Any) -> dict[str, Any] | None:
    if webhook_id is None:
        return None
    check_int(webhook_id, "id")
    row = ctx.db.one(
        "SELECT data FROM webhooks WHERE id = ? AND campaign_id = ?", (webhook_id, campaign_id)
    )
    if row is None:
        raise flat_error("Webhook not found - Invalid webhook id.", 404)
    return load(row)


def _upsert_response(ctx: Ctx, doc: dict[str, Any], category_ids: dict[str, int]) -> Any:
    base = {
        "ok": True,
        "id": doc["id"],
        "name": doc["name"],
        "webhook_url": doc["webhook_url"],
        "email_campaign_id": doc["email_campaign_id"],
    }
    if ctx.config.webhook_upsert_response == "arrays":  # [H1]
        return {**base, "event_types": doc["event_types"], "categories": doc["categories"]}
    # [SIM], newer: maps; the category keys are taken to be ids (§7.1, unverified).
    return {
        **base,
        "event_type_map": dict.fromkeys(doc["event_types"], True),
        "category_id_map": {str(i): True for i in category_ids.values()},
    }


@routes.add("DELETE", "/campaigns/{campaign_id}/webhooks", Bucket.WEBHOOK_WRITE)
def delete_webhook(ctx: Ctx) -> Any:
    """Body `{id}` as every client sends it (§7.1)."""
    body = ctx.body_object()
    reject_unknown(body, ("id",))
    return _delete(ctx, check_int(require(body, "id"), "id"))


@routes.add("DELETE", "/campaigns/{campaign_id}/webhooks/{webhook_id}", Bucket.WEBHOOK_WRITE)
def delete_webhook_by_path(ctx: Ctx) -> Any:
    """The [M1] path form, accepted too."""
    return _delete(ctx, ctx.int_param("webhook_id"))


def _delete(ctx: Ctx, webhook_id: int) -> Any:
    campaign_id = require_campaign(ctx)["id"]
    removed = ctx.db.execute(
        "DELETE FROM webhooks WHERE id = ? AND campaign_id = ?", (webhook_id, campaign_id)
    ).rowcount
    if not removed:
        raise flat_error("Webhook not found - Invalid webhook id.", 404)
    return {"ok": True}
