"""Email accounts (sender mailboxes) and attaching them to campaigns (§6, §13.9).

Like the real API, records carry `password` and `imap_password`: plain on the by-id and campaign
routes, base64 on the list route. Clients must drop them.
"""

from __future__ import annotations

import base64
from typing import Any

from smartlead_sync.emulator.exchange import flat_error, joi_error
from smartlead_sync.emulator.records import require_campaign
from smartlead_sync.emulator.routing import Ctx, RouteTable
from smartlead_sync.emulator.store import Store, load
from smartlead_sync.emulator.validation import (
    check_int,
    check_list,
    query_int,
    reject_unknown,
    require,
)
from smartlead_sync.tool_settings import Bucket

routes = RouteTable()


def _with_campaign_count(db: Store, account: dict[str, Any]) -> dict[str, Any]:
    account["campaign_count"] = db.scalar(
        "SELECT COUNT(*) FROM campaign_accounts WHERE email_account_id = ?", (account["id"],)
    )
    return account


@routes.add("GET", "/email-accounts")
def list_accounts(ctx: Ctx) -> Any:
    offset = query_int(ctx.query, "offset", 0, minimum=0, maximum=10**12)
    limit = query_int(ctx.query, "limit", 100, minimum=1, maximum=100)
    rows = ctx.db.all(
        "SELECT data FROM email_accounts ORDER BY id LIMIT ? OFFSET ?", (limit, offset)
    )
    result = []
    for account in map(load, rows):
        if ctx.client_scope is not None and account["client_id"] != ctx.client_scope:
            continue
        for key in ("password", "imap_password"):
            if account.get(key) is not None:
                account[key] = base64.b64encode(account[key].encode()).decode()
        result.append(_with_campaign_count(ctx.db, account))
    return result


@routes.add("GET", "/email-accounts/{account_id}")
def get_account(ctx: Ctx) -> Any:
    row = ctx.db.one("SELECT data FROM email_accounts WHERE id = ?", (ctx.int_param("account_id"),))
    if row is None:
        return {}
    return _with_campaign_count(ctx.db, load(row))


@routes.add("GET", "/campaigns/{campaign_id}/email-accounts")
def campaign_accounts(ctx: Ctx) -> Any:
    campaign_id = require_campaign(ctx)["id"]
    rows = ctx.db.all(
        "SELECT a.data FROM campaign_accounts ca "
        "JOIN email_accounts a ON a.id = ca.email_account_id "
        "WHERE ca.campaign_id = ? ORDER BY ca.id",
        (campaign_id,),
    )
    return [load(row) for row in rows]


def _account_ids(ctx: Ctx) -> list[int]:
    """The body's `email_account_ids`; an id the caller does not own is a permission error."""
    body = ctx.body_object()
    reject_unknown(body, ("email_account_ids",))
    ids = check_list(require(body, "email_account_ids"), "email_account_ids")
    if not ids:
        raise joi_error('"email_account_ids" must contain at least 1 items', "email_account_ids")
    result = []
    for index, raw in enumerate(ids):
        account_id = check_int(raw, f"email_account_ids[{index}]")
        row = ctx.db.one("SELECT data FROM email_accounts WHERE id = ?", (account_id,))
        visible = row is not None and (
            ctx.client_scope is None or load(row)["client_id"] == ctx.client_scope
        )
        if not visible:
            raise flat_error(f"Email account id - {account_id} not allowed. Permission Error.")
        result.append(account_id)
    return result


@routes.add("POST", "/campaigns/{campaign_id}/email-accounts", Bucket.CAMPAIGN_WRITE)
def attach_accounts(ctx: Ctx) -> Any:
    campaign_id = require_campaign(ctx)["id"]
    now = ctx.db.now()
    result = []
    for account_id in _account_ids(ctx):
        row = ctx.db.one(
            "SELECT id FROM campaign_accounts WHERE campaign_id = ? AND email_account_id = ?",
            (campaign_id, account_id),
        )
        link_id = row["id"] if row else ctx.db.next_id("campaign_account")
        ctx.db.execute(
            "INSERT OR REPLACE INTO campaign_accounts VALUES (?, ?, ?, ?)",
            (link_id, campaign_id, account_id, now),
        )
        result.append(
            {
                "id": link_id,
                "email_campaign_id": campaign_id,
                "email_account_id": account_id,
                "updated_at": now,
            }
        )
    return {"ok": True, "result": result}


@routes.add("DELETE", "/campaigns/{campaign_id}/email-accounts", Bucket.CAMPAIGN_WRITE)
def detach_accounts(ctx: Ctx) -> Any:
    """The ids travel in the DELETE body; `result` is the number of links removed (§6)."""
    campaign_id = require_campaign(ctx)["id"]
    removed = 0
    for account_id in _account_ids(ctx):
        removed += ctx.db.execute(
            "DELETE FROM campaign_accounts WHERE campaign_id = ? AND email_account_id = ?",
            (campaign_id, account_id),
        ).rowcount
    return {"ok": True, "result": removed}
