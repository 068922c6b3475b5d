"""What a fresh emulated account holds: sender mailboxes and the default lead categories.

The mailboxes let the example campaigns go ACTIVE out of the box (START needs one, §3.6). Like
the real API, their records carry SMTP/IMAP passwords (§6): clients must drop them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartlead_sync.emulator.store import Store

# (from_email, from_name, type)
SEEDED_MAILBOXES: tuple[tuple[str, str, str], ...] = (
    ("alex@outreach-example.com", "Alex Rivera", "GMAIL"),
    ("sam@outreach-example.com", "Sam Patel", "GMAIL"),
    ("jordan@outreach-example.net", "Jordan Lee", "OUTLOOK"),
    ("taylor@outreach-example.net", "Taylor Kim", "OUTLOOK"),
    ("morgan@getreply-example.io", "Morgan Diaz", "SMTP"),
    ("casey@getreply-example.io", "Casey Brooks", "SMTP"),
)

# The defaults of every account (§5.7): (id, name, sentiment_type).
DEFAULT_CATEGORIES: tuple[tuple[int, str, str], ...] = (
    (1, "Interested", "positive"),
    (2, "Meeting Request", "positive"),
    (3, "Not Interested", "negative"),
    (4, "Do Not Contact", "negative"),
    (5, "Information Request", "neutral"),
    (6, "Out Of Office", "neutral"),
    (7, "Wrong Person", "negative"),
)


def mailbox_record(
    account_id: int, email: str, name: str, kind: str, *, now: str, user_id: int
) -> dict[str, object]:
    """An email-account record as GET /email-accounts/{id} returns it (§6)."""
    domain = email.split("@", 1)[1]
    return {
        "id": account_id,
        "created_at": now,
        "updated_at": now,
        "user_id": user_id,
        "from_name": name,
        "from_email": email,
        "username": email,
        "password": f"emulator-smtp-{account_id}",
        "smtp_host": f"smtp.{domain}",
        "smtp_port": 587,
        "smtp_port_type": "TLS",
        "imap_username": email,
        "imap_password": f"emulator-imap-{account_id}",
        "imap_host": f"imap.{domain}",
        "imap_port": 993,
        "imap_port_type": "SSL",
        "message_per_day": 40,
        "daily_sent_count": 0,
        "different_reply_to_address": None,
        "signature": f"<p>{name}</p>",
        "custom_tracking_domain": None,
        "bcc_email": None,
        "is_smtp_success": True,
        "is_imap_success": True,
        "smtp_failure_error": None,
        "imap_failure_error": None,
        "type": kind,
        "client_id": None,
        "is_suspended": False,
        "warmup_details": _warmup(account_id),
    }


def _warmup(account_id: int) -> dict[str, object]:
    return {
        "id": account_id + 500_000,
        "status": "ACTIVE",
        "total_sent_count": 0,
        "total_spam_count": 0,
        "warmup_reputation": "100%",
    }


def seed_account(store: Store) -> None:
    from smartlead_sync.emulator.store import USER_ID

    now = store.now()
    for email, name, kind in SEEDED_MAILBOXES:
        account_id = store.next_id("email_account")
        record = mailbox_record(account_id, email, name, kind, now=now, user_id=USER_ID)
        store.execute("INSERT INTO email_accounts VALUES (?, ?)", (account_id, json.dumps(record)))
    for category_id, name, sentiment in DEFAULT_CATEGORIES:
        record = {"id": category_id, "created_at": now, "name": name, "sentiment_type": sentiment}
        store.execute("INSERT INTO categories VALUES (?, ?)", (category_id, json.dumps(record)))
    store.execute(
        "UPDATE counters SET value = ? WHERE name = 'category'", (len(DEFAULT_CATEGORIES),)
    )
