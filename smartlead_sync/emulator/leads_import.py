"""POST /campaigns/{id}/leads: partial-success import with Smartlead's counters (§5.2, §13.7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smartlead_sync.emulator.exchange import flat_error, joi_error
from smartlead_sync.emulator.records import (
    LEAD_FIELDS,
    email_key,
    lead_document,
    require_campaign,
    save_lead,
    valid_email,
)
from smartlead_sync.emulator.routing import Ctx, RouteTable
from smartlead_sync.emulator.store import Store, load
from smartlead_sync.emulator.validation import (
    as_object,
    check_bool,
    check_list,
    check_str,
    reject_unknown,
    require,
)
from smartlead_sync.tool_settings import Bucket

routes = RouteTable()

UPLOAD_SETTINGS = (
    "ignore_global_block_list",
    "ignore_unsubscribe_list",
    "ignore_community_bounce_list",
    "ignore_duplicate_leads_in_other_campaign",
    "return_lead_ids",
    "ignore_duplicate_leads_in_same_campaign",
    "ignore_invalid_emails",
)
LEAD_LIMIT_MESSAGE = (
    "The lead credit limit has been reached, please upgrade your plan to add more leads."
)


@dataclass
class ImportTally:
    """What happened to each row of one request, in the response's vocabulary."""

    invalid: list[str] = field(default_factory=list)
    duplicates: int = 0
    already: dict[str, str] = field(default_factory=dict)
    blocked: int = 0
    bounced: int = 0
    unsubscribed: list[str] = field(default_factory=list)
    other_campaign: dict[str, str] = field(default_factory=dict)
    added: dict[str, str] = field(default_factory=dict)
    stopped: int = 0


@routes.add("POST", "/campaigns/{campaign_id}/leads", Bucket.LEAD_WRITE)
def add_leads(ctx: Ctx) -> Any:
    campaign = require_campaign(ctx)
    body = ctx.body_object()
    reject_unknown(body, ("lead_list", "settings"))
    rows = _valid_rows(ctx, body)
    settings = as_object(body.get("settings") or {}, "settings")
    reject_unknown(settings, UPLOAD_SETTINGS, "settings")
    flags = {
        key: check_bool(settings.get(key, False), f"settings.{key}") for key in UPLOAD_SETTINGS
    }
    tally = _process(ctx, campaign["id"], rows, flags)
    return _response(ctx, campaign["id"], tally, flags["return_lead_ids"])


def _valid_rows(ctx: Ctx, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The whole request is checked before any row is processed; failures are flat 400s."""
    rows = check_list(require(body, "lead_list"), "lead_list")
    if not rows:
        raise flat_error("lead_list must contain at least 1 lead")
    cap = ctx.config.lead_batch_cap
    if len(rows) > cap:
        raise flat_error(f"Lead list exceeds maximum size - at most {cap} leads per request")
    for index, raw in enumerate(rows):
        path = f"lead_list[{index}]"
        row = as_object(raw, path)
        reject_unknown(row, (*LEAD_FIELDS, "custom_fields"), path)
        check_str(require(row, "email", path), f"{path}.email")
        custom = as_object(row.get("custom_fields") or {}, f"{path}.custom_fields")
        if len(custom) > ctx.config.custom_field_cap:
            raise flat_error(
                f"Custom fields limit exceeded - {path} has {len(custom)} custom fields, "
                f"the maximum is {ctx.config.custom_field_cap}"
            )
        for key, value in custom.items():
            if isinstance(value, (dict, list)):
                field_path = f"{path}.custom_fields.{key}"
                raise joi_error(f'"{field_path}" must be a string', field_path)
    return rows


@dataclass
class _Known:
    """What the account already knows about the batch's emails, read in a few queries."""

    leads: dict[str, dict[str, Any]]  # email key -> lead
    campaigns: dict[int, set[int]]  # lead id -> campaigns it is in
    blocked: set[str]  # emails and domains on the block list
    bounced: set[str]
    unsubscribed: set[str]

    def is_blocked(self, key: str) -> bool:
        return key in self.blocked or key.rsplit("@", 1)[-1] in self.blocked


def _prefetch(db: Store, keys: list[str]) -> _Known:
    known = _Known({}, {}, set(), set(), set())
    for chunk in (keys[i : i + 400] for i in range(0, len(keys), 400)):
        marks = ",".join("?" * len(chunk))
        for row in db.all(f"SELECT data FROM leads WHERE email_key IN ({marks})", tuple(chunk)):
            lead = load(row)
            known.leads[email_key(lead["email"])] = lead
        domains = tuple(k.rsplit("@", 1)[-1] for k in chunk)
        sql = f"SELECT value FROM block_list WHERE value IN ({marks}) OR value IN ({marks})"
        known.blocked.update(r[0] for r in db.all(sql, (*chunk, *domains)))
        for table, target in (("bounce_list", known.bounced), ("unsubscribed", known.unsubscribed)):
            sql = f"SELECT email_key FROM {table} WHERE email_key IN ({marks})"
            target.update(r[0] for r in db.all(sql, tuple(chunk)))
    ids = [lead["id"] for lead in known.leads.values()]
    for chunk_ids in (ids[i : i + 400] for i in range(0, len(ids), 400)):
        marks = ",".join("?" * len(chunk_ids))
        sql = f"SELECT lead_id, campaign_id FROM campaign_leads WHERE lead_id IN ({marks})"
        for lead_id, campaign_id in db.all(sql, tuple(chunk_ids)):
            known.campaigns.setdefault(lead_id, set()).add(campaign_id)
    return known


def _process(
    ctx: Ctx, campaign_id: int, rows: list[dict[str, Any]], flags: dict[str, bool]
) -> ImportTally:
    """Each row lands in exactly one bucket, checked in the order of §13.7."""
    tally = ImportTally()
    emails = [str(row["email"]).strip() for row in rows]
    known = _prefetch(ctx.db, [email_key(e) for e in emails if valid_email(e)])
    seen: set[str] = set()
    skip_other = flags["ignore_duplicate_leads_in_other_campaign"]
    if ctx.config.other_campaign_flag == "true_allows":
        skip_other = not skip_other
    credits = _credits_left(ctx)
    for index, (email, row) in enumerate(zip(emails, rows, strict=True)):
        key = email_key(email)
        lead = known.leads.get(key)
        memberships = known.campaigns.get(lead["id"], set()) if lead else set()
        if not valid_email(email):
            tally.invalid.append(row["email"])
        elif key in seen:
            tally.duplicates += 1
        elif lead and campaign_id in memberships:
            tally.already[email] = str(lead["id"])
        elif not flags["ignore_global_block_list"] and known.is_blocked(key):
            tally.blocked += 1
        elif not flags["ignore_community_bounce_list"] and key in known.bounced:
            tally.bounced += 1
        elif not flags["ignore_unsubscribe_list"] and key in known.unsubscribed:
            tally.unsubscribed.append(email)
        elif lead and memberships and skip_other:
            tally.other_campaign[email] = str(lead["id"])
        elif credits is not None and credits <= 0:
            tally.stopped = len(rows) - index  # out of credits: keep what was added (§5.2)
            break
        else:
            tally.added[email] = str(_attach(ctx.db, campaign_id, lead, row))
            credits = None if credits is None else credits - 1
        seen.add(key)
    _spend_credits(ctx, len(tally.added))
    return tally


def _attach(db: Store, campaign_id: int, lead: dict[str, Any] | None, row: dict[str, Any]) -> int:
    """Create the account-wide lead if new (an existing lead keeps its fields), then map it."""
    now = db.now()
    if lead is None:
        lead = lead_document(db.next_id("lead"), row, now)
        save_lead(db, lead)
    db.execute(
        "INSERT INTO campaign_leads (map_id, campaign_id, lead_id, status, created_at) "
        "VALUES (?, ?, ?, 'STARTED', ?)",
        (db.next_id("campaign_lead"), campaign_id, lead["id"], now),
    )
    lead_id: int = lead["id"]
    return lead_id


def _credits_left(ctx: Ctx) -> int | None:
    if ctx.config.lead_credits is None:
        return None
    used = int(ctx.db.meta("lead_credits_used") or 0)
    return ctx.config.lead_credits - used


def _spend_credits(ctx: Ctx, count: int) -> None:
    if count:
        used = int(ctx.db.meta("lead_credits_used") or 0)
        ctx.db.set_meta("lead_credits_used", str(used + count))


def _response(ctx: Ctx, campaign_id: int, tally: ImportTally, with_ids: bool) -> dict[str, Any]:
    total = ctx.db.scalar(
        "SELECT COUNT(*) FROM campaign_leads WHERE campaign_id = ?", (campaign_id,)
    )
    unsubscribed: Any = tally.unsubscribed
    if ctx.config.unsubscribed_leads_format == "count":
        unsubscribed = len(tally.unsubscribed)
    result: dict[str, Any] = {
        "ok": tally.stopped == 0,
        # Field notes: upload_count includes leads found in another campaign (§5.2).
        "upload_count": len(tally.added) + len(tally.other_campaign),
        "total_leads": total,
        "already_added_to_campaign": len(tally.already),
        "duplicate_count": tally.duplicates,
        "invalid_email_count": len(tally.invalid),
        "invalid_emails": tally.invalid,
        "block_count": tally.blocked,
        "bounce_count": tally.bounced,
        "unsubscribed_leads": unsubscribed,
        "is_lead_limit_exhausted": tally.stopped > 0,
        "lead_import_stopped_count": tally.stopped,
    }
    if tally.stopped:
        result["error"] = LEAD_LIMIT_MESSAGE
    if with_ids:
        result["emailToLeadIdMap"] = {
            "newlyAddedLeads": tally.added,
            "existingLeads": tally.already,
            "existingLeadsInOtherCampaigns": tally.other_campaign,
        }
    return result
