"""Simulated sending: what the emulator records when "Smartlead sends" emails of a campaign.

One row per email sent, in the shape of a `GET /campaigns/{id}/statistics` row (§8): the lead,
the step (`sequence_number`, `email_campaign_seq_id`), the variant (`seq_variant_id`), and the
times of the open, click and reply, plus the bounce and unsubscribe flags. The analytics routes
(analytics.py) count these rows, so tests can drive guards and A/B tests without an account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smartlead_sync.emulator.store import Store, dump, load

POSITIVE_CATEGORY = "Interested"  # a Smartlead default category with a positive sentiment


class UnknownStep(LookupError):
    """The step or variant a simulated send names does not exist."""


@dataclass(frozen=True)
class Outcomes:
    """How many of the simulated emails had each outcome. A bounced email has no other event;
    `positive_replies` are among `replies`."""

    sends: int
    opens: int = 0
    clicks: int = 0
    replies: int = 0
    positive_replies: int = 0
    bounces: int = 0
    unsubscribes: int = 0

    def check(self) -> None:
        delivered = self.sends - self.bounces
        counts = {
            "opens": self.opens,
            "clicks": self.clicks,
            "replies": self.replies,
            "unsubscribes": self.unsubscribes,
        }
        if self.sends < 0 or self.bounces < 0 or delivered < 0:
            raise ValueError("sends must be at least bounces, and neither negative")
        for name, count in counts.items():
            if not 0 <= count <= delivered:
                raise ValueError(f"{name} must be between 0 and the {delivered} delivered emails")
        if not 0 <= self.positive_replies <= self.replies:
            raise ValueError("positive_replies must be between 0 and replies")


def _step_and_variant(
    db: Store, campaign_id: int, seq_number: int, label: str | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    row = db.one(
        "SELECT data FROM steps WHERE campaign_id = ? AND seq_number = ?", (campaign_id, seq_number)
    )
    if row is None:
        raise UnknownStep(f"campaign {campaign_id} has no step {seq_number}")
    step = load(row)
    if label is None:
        return step, None
    for variant_row in db.all("SELECT data FROM variants WHERE step_id = ?", (step["id"],)):
        variant = load(variant_row)
        if variant["variant_label"] == label:
            return step, variant
    raise UnknownStep(f"step {seq_number} of campaign {campaign_id} has no variant {label}")


def simulate_sends(
    db: Store,
    campaign_id: int,
    sends: int,
    *,
    seq_number: int = 1,
    variant_label: str | None = None,
    opens: int = 0,
    clicks: int = 0,
    replies: int = 0,
    positive_replies: int = 0,
    bounces: int = 0,
    unsubscribes: int = 0,
    sent_time: str | None = None,
) -> None:
    """Record `sends` emails of one step (and variant) to fresh leads, with these outcomes.

    `sent_time` (ISO-8601) dates the emails and their events; the default is now."""
    outcomes = Outcomes(sends, opens, clicks, replies, positive_replies, bounces, unsubscribes)
    outcomes.check()
    step, variant = _step_and_variant(db, campaign_id, seq_number, variant_label)
    when = sent_time or db.now()
    first = int(db.scalar("SELECT COUNT(*) FROM email_stats WHERE campaign_id = ?", (campaign_id,)))
    source = variant if variant is not None else step
    for i in range(sends):
        number = first + i + 1
        row = _row(outcomes, i, when, number)
        row.update(
            lead_email=f"lead{number}.c{campaign_id}@sim.example.com",
            sequence_number=seq_number,
            email_campaign_seq_id=step["id"],
            seq_variant_id=None if variant is None else variant["id"],
            email_subject=source.get("subject", ""),
            email_message=source.get("email_body", ""),
        )
        stats_id = db.next_id("email_stat")
        row["stats_id"] = str(stats_id)
        db.execute("INSERT INTO email_stats VALUES (?, ?, ?)", (stats_id, campaign_id, dump(row)))


def _row(outcomes: Outcomes, i: int, when: str, number: int) -> dict[str, Any]:
    """Email `i` of a batch: the first ones bounce; of the rest, the first ones open, click and
    reply, and the last ones unsubscribe."""
    delivered_index = i - outcomes.bounces
    bounced = delivered_index < 0
    delivered = outcomes.sends - outcomes.bounces

    def event(count: int) -> bool:
        return not bounced and delivered_index < count

    replied = event(outcomes.replies)
    opened = event(outcomes.opens)
    clicked = event(outcomes.clicks)
    unsubscribed = not bounced and delivered_index >= delivered - outcomes.unsubscribes
    positive = replied and delivered_index < outcomes.positive_replies
    return {
        "lead_name": f"Lead {number}",
        "lead_category": POSITIVE_CATEGORY if positive else None,
        "sent_time": when,
        "open_time": when if opened else None,
        "click_time": when if clicked else None,
        "reply_time": when if replied else None,
        "open_count": 1 if opened else 0,
        "click_count": 1 if clicked else 0,
        "is_unsubscribed": unsubscribed,
        "is_bounced": bounced,
    }
