from __future__ import annotations

import pytest

from smartlead_sync.apply.lead_answers import (
    LeadVerificationError,
    credits_exhausted,
    mask_emails_in,
    tally_batch,
    verify_batch,
)
from smartlead_sync.apply.report import LeadTally
from smartlead_sync.smartlead.lead_wire import LeadBatchResult, SkipReason
from smartlead_sync.state import Lead


def _leads(*emails: str) -> list[Lead]:
    return [Lead(email=e, source=f"leads.csv:{i + 2}") for i, e in enumerate(emails)]


def test_every_outcome_is_counted_and_skips_keep_their_row() -> None:
    sent = _leads("Ann@a.com", "bob@b.com", "cy@c.com", "dee@d.com")
    result = LeadBatchResult(
        added={"ann@a.com": 3_000_000_001},
        skipped={
            "bob@b.com": SkipReason.ALREADY_IN_CAMPAIGN,
            "dee@d.com": SkipReason.UNSUBSCRIBED,
            "cy@c.com": SkipReason.INVALID_EMAIL,
        },
        limit_exhausted=False,
    )
    outcome = verify_batch(sent, result)
    assert (outcome.attached, outcome.already_present) == (1, 1)
    assert [(s.masked_email, s.reason, s.source) for s in outcome.skipped] == [
        ("c***@c.com", SkipReason.INVALID_EMAIL, "leads.csv:4"),
        ("d***@d.com", SkipReason.UNSUBSCRIBED, "leads.csv:5"),
    ]
    assert outcome.refused_keys == {"cy@c.com", "dee@d.com"}
    assert outcome.detail == "1 attached, 1 already present, 2 not attached"
    fields = outcome.journal_fields()
    assert fields["not_attached"] == {"invalid_email": 1, "unsubscribed": 1}
    assert "dee@d.com" not in str(fields)


def test_a_lead_the_answer_does_not_mention_is_unconfirmed_not_refused() -> None:
    sent = _leads("ann@a.com", "bob@b.com")
    outcome = verify_batch(sent, LeadBatchResult({"ann@a.com": 7}, {}, False))
    assert [(s.masked_email, s.reason) for s in outcome.skipped] == [
        ("b***@b.com", SkipReason.UNKNOWN)
    ]
    assert outcome.refused_keys == frozenset()


def test_an_answer_naming_leads_that_were_not_sent_is_rejected() -> None:
    with pytest.raises(LeadVerificationError, match="1 lead\\(s\\) named that were not sent"):
        verify_batch(
            _leads("ann@a.com"), LeadBatchResult({"ann@a.com": 1, "x@y.com": 2}, {}, False)
        )


def test_a_lead_both_attached_and_skipped_is_rejected() -> None:
    result = LeadBatchResult({"ann@a.com": 1}, {"ann@a.com": SkipReason.BLOCKED}, False)
    with pytest.raises(LeadVerificationError, match="1 both attached and skipped"):
        verify_batch(_leads("ann@a.com"), result)


def test_an_attached_lead_without_a_real_id_is_rejected() -> None:
    with pytest.raises(LeadVerificationError, match="no usable lead id"):
        verify_batch(_leads("ann@a.com"), LeadBatchResult({"ann@a.com": 0}, {}, False))


def test_tally_and_credit_message() -> None:
    sent = _leads("ann@a.com", "bob@b.com")
    result = LeadBatchResult({"ann@a.com": 5}, {"bob@b.com": SkipReason.CREDIT_LIMIT}, True)
    outcome = verify_batch(sent, result)
    tally = LeadTally()
    tally_batch(tally, len(sent), outcome)
    assert (tally.sent, tally.attached, len(tally.skipped)) == (2, 1, 1)
    message = credits_exhausted(outcome, 150).message
    assert "1 lead(s) of this batch were not attached" in message
    assert "the 150 lead(s) of later batches were not sent" in message


def test_emails_in_error_messages_are_masked() -> None:
    text = 'Invalid lead "john.doe@acme.com" (row 4), also <ann@b.co.uk>; retry later'
    assert (
        mask_emails_in(text)
        == 'Invalid lead "j***@acme.com" (row 4), also <a***@b.co.uk>; retry later'
    )
