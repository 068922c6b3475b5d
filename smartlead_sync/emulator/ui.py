"""Changes made "in the Smartlead UI": what tests use to make live state drift from the files.

Each action takes the store inside a transaction; `Emulator` exposes them as methods and the
HTTP introspection as `POST /_emulator/actions/{name}` with the keyword arguments as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from smartlead_sync.emulator.leads_global import block, unsubscribe
from smartlead_sync.emulator.records import email_key
from smartlead_sync.emulator.seed import mailbox_record
from smartlead_sync.emulator.sends import simulate_sends
from smartlead_sync.emulator.store import USER_ID, Store, dump, load

CAMPAIGN_STATUSES = ("DRAFTED", "ACTIVE", "PAUSED", "STOPPED", "COMPLETED", "ARCHIVED")


class UnknownObject(LookupError):
    """The campaign, step or lead an action names does not exist."""


def block_email(db: Store, email_or_domain: str, client_id: int | None = None) -> None:
    """Add an email or a domain to the global block list."""
    block(db, email_or_domain, client_id, "manual")


def bounce_email(db: Store, email: str) -> None:
    """Put an email on the community bounce list."""
    db.execute("INSERT OR IGNORE INTO bounce_list VALUES (?)", (email_key(email),))


def unsubscribe_email(db: Store, email: str) -> None:
    """Unsubscribe an email account-wide, as a recipient clicking the link would."""
    unsubscribe(db, email)


def _campaign(db: Store, campaign_id: int) -> dict[str, Any]:
    row = db.one("SELECT data FROM campaigns WHERE id = ?", (campaign_id,))
    if row is None:
        raise UnknownObject(f"no campaign {campaign_id}")
    return load(row)


def _save(db: Store, doc: dict[str, Any]) -> None:
    doc["updated_at"] = db.now()
    db.execute(
        "UPDATE campaigns SET client_id = ?, data = ? WHERE id = ?",
        (doc["client_id"], dump(doc), doc["id"]),
    )


def set_campaign_status(db: Store, campaign_id: int, status: str) -> None:
    """Any status, no preconditions (the UI's pause button, or the system's own states)."""
    if status not in CAMPAIGN_STATUSES:
        raise ValueError(f"status must be one of {', '.join(CAMPAIGN_STATUSES)}")
    doc = _campaign(db, campaign_id)
    doc["status"] = status
    _save(db, doc)


def complete_campaign(db: Store, campaign_id: int) -> None:
    """The "all leads done" hook: every lead COMPLETED, the campaign COMPLETED (§13.5)."""
    set_campaign_status(db, campaign_id, "COMPLETED")
    db.execute(
        "UPDATE campaign_leads SET status = 'COMPLETED' WHERE campaign_id = ?", (campaign_id,)
    )


def edit_campaign(db: Store, campaign_id: int, **fields: Any) -> None:
    """Set campaign fields by their read names (e.g. max_leads_per_day, track_settings)."""
    doc = _campaign(db, campaign_id)
    unknown = set(fields) - set(doc)
    if unknown:
        raise ValueError(f"unknown campaign fields: {', '.join(sorted(unknown))}")
    doc.update(fields)
    _save(db, doc)


def edit_step(
    db: Store,
    campaign_id: int,
    seq_number: int,
    *,
    subject: str | None = None,
    email_body: str | None = None,
    variant_label: str | None = None,
) -> None:
    """Edit a step's (or one variant's) subject or body in place, keeping ids."""
    row = db.one(
        "SELECT data FROM steps WHERE campaign_id = ? AND seq_number = ?", (campaign_id, seq_number)
    )
    if row is None:
        raise UnknownObject(f"campaign {campaign_id} has no step {seq_number}")
    step = load(row)
    changes = {k: v for k, v in (("subject", subject), ("email_body", email_body)) if v is not None}
    if variant_label is None:
        step.update(changes, updated_at=db.now())
        db.execute("UPDATE steps SET data = ? WHERE id = ?", (dump(step), step["id"]))
        return
    for variant_row in db.all("SELECT data FROM variants WHERE step_id = ?", (step["id"],)):
        variant = load(variant_row)
        if variant["variant_label"] == variant_label:
            variant.update(changes, updated_at=db.now())
            db.execute("UPDATE variants SET data = ? WHERE id = ?", (dump(variant), variant["id"]))
            return
    raise UnknownObject(f"step {seq_number} has no variant {variant_label}")


def record_send(db: Store, campaign_id: int, email: str) -> None:
    """Pretend the next email went out to this lead: it becomes INPROGRESS."""
    updated = db.execute(
        "UPDATE campaign_leads SET sent_count = sent_count + 1, status = 'INPROGRESS' "
        "WHERE campaign_id = ? AND lead_id = (SELECT id FROM leads WHERE email_key = ?)",
        (campaign_id, email_key(email)),
    ).rowcount
    if not updated:
        raise UnknownObject(f"campaign {campaign_id} has no lead {email}")


def add_email_account(
    db: Store, email: str, from_name: str = "", client_id: int | None = None
) -> int:
    """Connect another sender mailbox; returns its id."""
    account_id = db.next_id("email_account")
    record = mailbox_record(
        account_id, email, from_name or email, "SMTP", now=db.now(), user_id=USER_ID
    )
    record["client_id"] = client_id
    db.execute("INSERT INTO email_accounts VALUES (?, ?)", (account_id, json.dumps(record)))
    return account_id


def add_category(db: Store, name: str, sentiment_type: str = "neutral") -> int:
    """A user-defined lead category; returns its id."""
    category_id = db.next_id("category")
    record = {
        "id": category_id,
        "created_at": db.now(),
        "name": name,
        "sentiment_type": sentiment_type,
    }
    db.execute("INSERT INTO categories VALUES (?, ?)", (category_id, dump(record)))
    return category_id


def raw_campaign(db: Store, campaign_id: int) -> dict[str, Any]:
    """Everything stored for a campaign, including write-only settings and step controls."""
    doc = _campaign(db, campaign_id)
    steps = db.all(
        "SELECT data FROM steps WHERE campaign_id = ? ORDER BY seq_number", (campaign_id,)
    )
    doc["steps"] = [load(row) for row in steps]
    return doc


ACTIONS: dict[str, Callable[..., Any]] = {
    f.__name__: f
    for f in (
        block_email,
        bounce_email,
        unsubscribe_email,
        set_campaign_status,
        complete_campaign,
        edit_campaign,
        edit_step,
        record_send,
        add_email_account,
        add_category,
        raw_campaign,
        simulate_sends,
    )
}
