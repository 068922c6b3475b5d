"""Checking one add-leads answer against what was sent: never trust a 200 (smartlead-api.md §5.2).

Smartlead answers 200 when rows were skipped, and its counts have been seen to disagree with
what was attached. The provider turns the answer into one outcome per lead; here every lead
sent must have exactly one outcome, every id must be a real id, the answer may not name leads
that were not sent, and each lead that did not land is kept with its reason and its file:row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from smartlead_sync.apply.journal import JsonValue
from smartlead_sync.apply.report import LeadTally, SkippedLead
from smartlead_sync.errors import SyncError
from smartlead_sync.masking import mask_email
from smartlead_sync.smartlead.lead_wire import LeadBatchResult, SkipReason
from smartlead_sync.state import Lead

MAX_MASKED_IN_JOURNAL = 20
_EMAIL_IN_TEXT = re.compile(r"[^\s@<>()\[\]\"',;:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
REFUSED = frozenset(SkipReason) - {
    SkipReason.ALREADY_IN_CAMPAIGN,
    SkipReason.UNKNOWN,
    SkipReason.NOT_SENT,
}


class LeadVerificationError(SyncError):
    """An add-leads answer that does not match the batch that was sent."""


class LeadCreditsExhausted(SyncError):
    """Smartlead stopped importing part-way because the account ran out of lead credits."""


@dataclass(frozen=True)
class BatchOutcome:
    attached: int
    already_present: int
    skipped: tuple[SkippedLead, ...]
    refused_keys: frozenset[str] = field(default_factory=frozenset)

    @property
    def unexplained(self) -> bool:
        """Some lead sent is neither attached nor refused for a stated reason."""
        return any(s.reason is SkipReason.UNKNOWN for s in self.skipped)

    @property
    def detail(self) -> str:
        parts = [f"{self.attached} attached"]
        if self.already_present:
            parts.append(f"{self.already_present} already present")
        if self.skipped:
            parts.append(f"{len(self.skipped)} not attached")
        return ", ".join(parts)

    def journal_fields(self) -> dict[str, JsonValue]:
        reasons = Counter(s.reason.value for s in self.skipped)
        fields: dict[str, JsonValue] = {
            "attached": self.attached,
            "already_present": self.already_present,
        }
        if self.skipped:
            fields["not_attached"] = dict(reasons)
            fields["not_attached_sample"] = [
                f"{s.masked_email} {s.reason.value}" for s in self.skipped[:MAX_MASKED_IN_JOURNAL]
            ]
        return fields


def verify_batch(sent: Sequence[Lead], result: LeadBatchResult) -> BatchOutcome:
    """Every sent lead has one outcome; raises LeadVerificationError when the answer is off."""
    by_key = {lead.key: lead for lead in sent}
    overlap = result.added.keys() & result.skipped.keys()
    stray = (result.added.keys() | result.skipped.keys()) - by_key.keys()
    if overlap or stray:
        raise LeadVerificationError(
            f"the add-leads answer does not match the batch: {len(stray)} lead(s) named that "
            f"were not sent, {len(overlap)} both attached and skipped",
            hint="nothing more is sent to this campaign; run apply again to re-read and retry",
        )
    bad_ids = [key for key, lead_id in result.added.items() if lead_id <= 0]
    if bad_ids:
        raise LeadVerificationError(
            f"the add-leads answer gave {len(bad_ids)} lead(s) no usable lead id"
        )
    outcomes = dict(result.skipped)
    for key in by_key.keys() - result.added.keys() - outcomes.keys():
        outcomes[key] = SkipReason.UNKNOWN  # settled by the final re-read
    already = [k for k, r in outcomes.items() if r is SkipReason.ALREADY_IN_CAMPAIGN]
    order = {key: i for i, key in enumerate(by_key)}
    skipped = tuple(
        SkippedLead(mask_email(by_key[key].email), reason, by_key[key].source)
        for key, reason in sorted(outcomes.items(), key=lambda kv: order[kv[0]])
        if reason is not SkipReason.ALREADY_IN_CAMPAIGN
    )
    # Leads Smartlead refused for a stated reason stay out of the convergence check; an
    # UNKNOWN one must show up in the final re-read, or it is reported as residual drift.
    refused = frozenset(k for k, r in outcomes.items() if r in REFUSED)
    return BatchOutcome(len(result.added), len(already), skipped, refused)


def tally_batch(tally: LeadTally, sent: int, outcome: BatchOutcome) -> None:
    tally.sent += sent
    tally.attached += outcome.attached
    tally.already_present += outcome.already_present
    tally.skipped.extend(outcome.skipped)


def unsent(tally: LeadTally, batches: Sequence[Sequence[Lead]]) -> int:
    """Name every lead of `batches` (never sent) in the tally; returns how many."""
    leads = [lead for batch in batches for lead in batch]
    tally.skipped.extend(
        SkippedLead(mask_email(lead.email), SkipReason.NOT_SENT, lead.source) for lead in leads
    )
    return len(leads)


def credits_exhausted(outcome: BatchOutcome, not_sent: int) -> LeadCreditsExhausted:
    stopped = sum(1 for s in outcome.skipped if s.reason is SkipReason.CREDIT_LIMIT)
    later = (
        f"the {not_sent} lead(s) of later batches were not sent"
        if not_sent
        else ("no later batch was left")
    )
    return LeadCreditsExhausted(
        f"Smartlead ran out of lead credits: {stopped} lead(s) of this batch were not "
        f"attached and {later} (each is named in the report)",
        hint="add lead credits to the Smartlead account, then run apply again",
    )


def mask_emails_in(text: str) -> str:
    """An error message with every email in it masked: Smartlead may echo the lead it refused,
    and messages go to the journal and the report."""
    return _EMAIL_IN_TEXT.sub(lambda m: mask_email(m.group(0)), text)
