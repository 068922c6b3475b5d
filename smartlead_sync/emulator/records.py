"""Reading and writing the account's records; shared by the route modules."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from smartlead_sync.emulator.exchange import campaign_not_found
from smartlead_sync.emulator.routing import Ctx
from smartlead_sync.emulator.store import USER_ID, Store, dump, load

# The fields GET /campaigns/{id} returns, in the documented order (§3.3).
CAMPAIGN_READ_FIELDS: tuple[str, ...] = (
    "id",
    "user_id",
    "created_at",
    "updated_at",
    "status",
    "name",
    "track_settings",
    "scheduler_cron_value",
    "min_time_btwn_emails",
    "max_leads_per_day",
    "stop_lead_settings",
    "schedule_start_time",
    "enable_ai_esp_matching",
    "send_as_plain_text",
    "follow_up_percentage",
    "unsubscribe_text",
    "parent_campaign_id",
    "client_id",
)


def new_campaign(campaign_id: int, name: str, client_id: int | None, now: str) -> dict[str, Any]:
    """A fresh campaign: DRAFTED, no schedule, no steps, no mailboxes (§3.4)."""
    return {
        "id": campaign_id,
        "user_id": USER_ID,
        "created_at": now,
        "updated_at": now,
        "status": "DRAFTED",
        "name": name,
        "track_settings": [],
        "scheduler_cron_value": None,
        "min_time_btwn_emails": 10,
        "max_leads_per_day": 20,
        "stop_lead_settings": "REPLY_TO_AN_EMAIL",
        "schedule_start_time": None,
        "enable_ai_esp_matching": False,
        "send_as_plain_text": False,
        "follow_up_percentage": 100,
        "unsubscribe_text": "",
        "parent_campaign_id": None,
        "client_id": client_id,
        # Accepted by POST /settings but never returned by GET (§3.3, §13.4).
        "write_only_settings": {},
    }


def campaign_view(doc: dict[str, Any], *, include_tags: bool = False) -> dict[str, Any]:
    view = {key: doc[key] for key in CAMPAIGN_READ_FIELDS}
    if include_tags:
        view["tags"] = []
    return view


def find_campaign(ctx: Ctx, campaign_id: int) -> dict[str, Any] | None:
    row = ctx.db.one("SELECT data FROM campaigns WHERE id = ?", (campaign_id,))
    if row is None:
        return None
    doc = load(row)
    if ctx.client_scope is not None and doc["client_id"] != ctx.client_scope:
        return None  # a client-scoped key cannot see other clients' campaigns (§9)
    return doc


def require_campaign(ctx: Ctx) -> dict[str, Any]:
    """The campaign named by the `campaign_id` path parameter, or 404 (§2.3)."""
    doc = find_campaign(ctx, ctx.int_param("campaign_id"))
    if doc is None:
        raise campaign_not_found()
    return doc


def save_campaign(db: Store, doc: dict[str, Any]) -> None:
    doc["updated_at"] = db.now()
    db.execute(
        "INSERT OR REPLACE INTO campaigns (id, client_id, data) VALUES (?, ?, ?)",
        (doc["id"], doc["client_id"], dump(doc)),
    )


def truthy(value: str | None) -> bool:
    return (value or "").lower() in ("true", "1", "yes")


# Standard lead fields (§5.1); `custom_fields` is a flat object beside them.
LEAD_FIELDS: tuple[str, ...] = (
    "email",
    "first_name",
    "last_name",
    "phone_number",
    "company_name",
    "website",
    "location",
    "linkedin_profile",
    "company_url",
)


def email_key(email: str) -> str:
    """Leads are matched by email case-insensitively (§13.7, an assumption from clients)."""
    return email.strip().lower()


def find_lead(db: Store, lead_id: int) -> dict[str, Any] | None:
    row = db.one("SELECT data FROM leads WHERE id = ?", (lead_id,))
    return None if row is None else load(row)


def find_lead_by_email(db: Store, email: str) -> dict[str, Any] | None:
    row = db.one("SELECT data FROM leads WHERE email_key = ?", (email_key(email),))
    return None if row is None else load(row)


def save_lead(db: Store, doc: dict[str, Any]) -> None:
    db.execute(
        "INSERT OR REPLACE INTO leads VALUES (?, ?, ?)",
        (doc["id"], email_key(doc["email"]), dump(doc)),
    )


def is_unsubscribed(db: Store, email: str) -> bool:
    found = db.one("SELECT 1 FROM unsubscribed WHERE email_key = ?", (email_key(email),))
    return found is not None


def lead_view(db: Store, doc: dict[str, Any], unsubscribed: bool | None = None) -> dict[str, Any]:
    """A lead as the list and by-email routes show it (§5.3, §5.4)."""
    view: dict[str, Any] = {"id": doc["id"]}
    for key in LEAD_FIELDS:
        view[key] = doc.get(key)
    view["custom_fields"] = dict(doc.get("custom_fields") or {})
    if unsubscribed is None:
        unsubscribed = is_unsubscribed(db, doc["email"])
    view["is_unsubscribed"] = unsubscribed
    view["unsubscribed_client_id_map"] = {}
    return view


# Plain ASCII addresses that email-validator accepts too; anything else goes to the library.
# The shortcut matters: imports validate every row and leads are the scale dimension.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_SPECIAL_TLDS = frozenset(SPECIAL_USE_DOMAIN_NAMES)


@lru_cache(maxsize=65536)
def valid_email(email: str) -> bool:
    """Whether Smartlead would take the address (syntax only; no DNS)."""
    local, _, domain = email.rpartition("@")
    plain = (
        _PLAIN_EMAIL.fullmatch(email) is not None
        and len(local) <= 64
        and len(email) <= 254
        and domain.rsplit(".", 1)[-1].lower() not in _SPECIAL_TLDS
        and "--" not in domain  # IDNA reserves hyphens in positions 3-4 ("xn--")
    )
    if plain:
        return True
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def lead_document(lead_id: int, row: dict[str, Any], now: str) -> dict[str, Any]:
    """A new account-wide lead from an import row; values are kept as text."""
    doc: dict[str, Any] = {"id": lead_id, "created_at": now}
    for key in LEAD_FIELDS:
        value = row.get(key)
        doc[key] = None if value is None else str(value)
    doc["email"] = str(row["email"]).strip()
    doc["custom_fields"] = {
        k: _as_text(v) for k, v in (row.get("custom_fields") or {}).items() if v is not None
    }
    return doc


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
