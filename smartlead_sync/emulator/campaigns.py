"""Campaign routes: list, get, create, delete and the status state machine (§3.1-§3.6)."""

from __future__ import annotations

from typing import Any

from smartlead_sync.emulator.exchange import campaign_not_found, flat_error
from smartlead_sync.emulator.records import (
    campaign_view,
    find_campaign,
    new_campaign,
    require_campaign,
    save_campaign,
    truthy,
)
from smartlead_sync.emulator.routing import Ctx, RouteTable
from smartlead_sync.emulator.store import Store, load
from smartlead_sync.emulator.validation import (
    check_one_of,
    check_optional_int,
    check_str,
    reject_unknown,
    require,
)
from smartlead_sync.tool_settings import Bucket

routes = RouteTable()

STATUS_WRITE_VALUES = ("START", "PAUSED", "STOPPED")


@routes.add("GET", "/campaigns")
def list_campaigns(ctx: Ctx) -> Any:
    """A bare array, newest first (§3.1); `client_id` filters."""
    wanted = ctx.query.get("client_id")
    include_tags = truthy(ctx.query.get("include_tags"))
    result = []
    for row in ctx.db.all("SELECT data FROM campaigns ORDER BY id DESC"):
        doc = load(row)
        if ctx.client_scope is not None and doc["client_id"] != ctx.client_scope:
            continue
        if wanted not in (None, "") and str(doc["client_id"]) != wanted:
            continue
        result.append(campaign_view(doc, include_tags=include_tags))
    return result


@routes.add("GET", "/campaigns/{campaign_id}")
def get_campaign(ctx: Ctx) -> Any:
    doc = find_campaign(ctx, ctx.int_param("campaign_id"))
    if doc is None:
        # Sources disagree: 404 [M1] or 200 with {} [SIM] (§2.3, §13.11).
        if ctx.config.missing_campaign_get == "empty_200":
            return {}
        raise campaign_not_found()
    return campaign_view(doc, include_tags=truthy(ctx.query.get("include_tags")))


@routes.add("POST", "/campaigns/create", Bucket.CAMPAIGN_WRITE)
def create_campaign(ctx: Ctx) -> Any:
    body = ctx.body_object()
    reject_unknown(body, ("name", "client_id"))
    name = body.get("name")
    name = "Untitled Campaign" if name is None else check_str(name, "name")
    client_id = check_optional_int(body.get("client_id"), "client_id")
    if ctx.client_scope is not None:
        client_id = ctx.client_scope
    campaign_id = ctx.db.next_id("campaign")
    doc = new_campaign(campaign_id, name, client_id, ctx.db.now())
    save_campaign(ctx.db, doc)
    return {"ok": True, "id": campaign_id, "name": name, "created_at": doc["created_at"]}


@routes.add("DELETE", "/campaigns/{campaign_id}", Bucket.CAMPAIGN_WRITE)
def delete_campaign(ctx: Ctx) -> Any:
    """Permanent, and cascades to sequences, lead memberships, mailboxes and webhooks (§3.5)."""
    campaign_id = require_campaign(ctx)["id"]
    db = ctx.db
    db.execute(
        "DELETE FROM variants WHERE step_id IN (SELECT id FROM steps WHERE campaign_id = ?)",
        (campaign_id,),
    )
    for table in ("steps", "campaign_leads", "campaign_accounts", "webhooks", "email_stats"):
        db.execute(f"DELETE FROM {table} WHERE campaign_id = ?", (campaign_id,))
    db.execute("DELETE FROM campaigns WHERE id = ?", (campaign_id,))
    return {"ok": True}


@routes.add("POST|PATCH", "/campaigns/{campaign_id}/status", Bucket.CAMPAIGN_WRITE)
def change_status(ctx: Ctx) -> Any:
    """Write START/PAUSED/STOPPED; START reads back as ACTIVE; STOPPED is terminal (§3.6)."""
    doc = require_campaign(ctx)
    body = ctx.body_object()
    reject_unknown(body, ("status",))
    wanted = check_one_of(require(body, "status"), "status", STATUS_WRITE_VALUES)
    current = doc["status"]
    if current == "STOPPED" and wanted != "STOPPED":
        raise flat_error("Campaign is stopped - a stopped campaign cannot be restarted.")
    if wanted == "START":
        missing = start_blockers(ctx.db, doc)
        if missing:
            raise flat_error(f"Campaign cannot be started - {', '.join(missing)}.")
        doc["status"] = "ACTIVE"
    else:
        doc["status"] = wanted
    save_campaign(ctx.db, doc)
    return {"ok": True}


def start_blockers(db: Store, doc: dict[str, Any]) -> list[str]:
    """What START still needs: a schedule, a step and a mailbox (§3.6, §13.5)."""
    missing = []
    campaign_id = doc["id"]
    if doc["scheduler_cron_value"] is None:
        missing.append("no schedule set")
    if not db.scalar("SELECT COUNT(*) FROM steps WHERE campaign_id = ?", (campaign_id,)):
        missing.append("no sequence steps")
    accounts = "SELECT COUNT(*) FROM campaign_accounts WHERE campaign_id = ?"
    if not db.scalar(accounts, (campaign_id,)):
        missing.append("no email accounts attached")
    return missing
