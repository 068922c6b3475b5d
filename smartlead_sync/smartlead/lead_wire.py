"""Leads on the wire: input and read shapes, the CSV export, and reading an add-leads report.

The add-leads call answers 200 even when rows were skipped (smartlead-api.md §5.2), with some
skips named (invalid emails, unsubscribed, the email-to-id map) and others only counted (block,
bounce, credit limit). `read_add_report` gives every lead that was sent exactly one outcome:
attached with its id, or skipped with a reason, `UNKNOWN` only when the counts cannot tell.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from smartlead_sync.smartlead.coerce import as_bool, as_int, as_str, as_text
from smartlead_sync.state import OPTIONAL_LEAD_FIELDS, Lead, LeadPolicy, OtherCampaignDuplicates

JsonObject = dict[str, Any]


class SkipReason(str, Enum):
    """Why Smartlead did not attach a lead to the campaign."""

    INVALID_EMAIL = "invalid_email"
    DUPLICATE_IN_BATCH = "duplicate_in_batch"
    ALREADY_IN_CAMPAIGN = "already_in_campaign"
    BLOCKED = "blocked"
    BOUNCED = "bounced"
    UNSUBSCRIBED = "unsubscribed"
    IN_OTHER_CAMPAIGN = "in_other_campaign"
    CREDIT_LIMIT = "credit_limit"
    NOT_SENT = "not_sent"  # in a later batch, never sent once the lead credits ran out (§5.2)
    UNKNOWN = "unknown"


# Refusals that hold until someone acts in Smartlead: re-sending the lead changes nothing.
LASTING_REFUSALS = frozenset(
    {
        SkipReason.INVALID_EMAIL,
        SkipReason.BLOCKED,
        SkipReason.BOUNCED,
        SkipReason.UNSUBSCRIBED,
        SkipReason.IN_OTHER_CAMPAIGN,
    }
)


@dataclass(frozen=True)
class LeadBatchResult:
    """Outcome of one add-leads call: every lead sent is in exactly one of the two maps."""

    added: dict[str, int]  # lower-cased email -> lead id
    skipped: dict[str, SkipReason]
    limit_exhausted: bool


def lead_from_api(raw: Mapping[str, Any]) -> Lead:
    """A lead from a list page's `lead` object or an export row (custom_fields may be JSON text)."""
    custom = raw.get("custom_fields")
    if isinstance(custom, str):
        try:
            custom = json.loads(custom) if custom.strip() else {}
        except ValueError:
            custom = {}
    pairs = (
        sorted((str(k), as_text(v)) for k, v in custom.items() if v is not None)
        if isinstance(custom, dict)
        else []
    )
    fields = {name: as_str(raw.get(name)) for name in OPTIONAL_LEAD_FIELDS}
    return Lead(
        email=as_text(raw.get("email")).strip(),
        custom_fields=tuple(pairs),
        id=as_int(raw.get("id")),
        **fields,
    )


def lead_to_api(lead: Lead) -> JsonObject:
    """The lead input fields that are set; `email` always (update needs it, §5.5)."""
    return lead.input_fields()


def lead_settings_to_api(policy: LeadPolicy) -> JsonObject:
    """Upload settings. `ignore_duplicate_leads_in_other_campaign: true` SKIPS them (§5.2)."""
    return {
        "ignore_global_block_list": policy.ignore_global_block_list,
        "ignore_unsubscribe_list": policy.ignore_unsubscribe_list,
        "ignore_community_bounce_list": policy.ignore_community_bounce_list,
        "ignore_duplicate_leads_in_other_campaign": (
            policy.other_campaign_duplicates is OtherCampaignDuplicates.SKIP
        ),
        "return_lead_ids": True,
    }


def leads_from_export(rows: Sequence[Mapping[str, str]]) -> list[Lead]:
    """Rows of GET /campaigns/{id}/leads-export (CSV, custom_fields as a JSON blob, §5.7)."""
    return [lead_from_api(row) for row in rows if (row.get("email") or "").strip()]


def _email_map(value: Any) -> dict[str, int | None]:
    if not isinstance(value, dict):
        return {}
    return {str(k).strip().lower(): as_int(v) for k, v in value.items()}


def _emails(value: Any) -> set[str]:
    if isinstance(value, list):
        return {str(v).strip().lower() for v in value if isinstance(v, str)}
    return set()


@dataclass
class _Report:
    """The parts of the add-leads response that name leads, lower-cased."""

    new: dict[str, int | None]
    existing: dict[str, int | None]
    other: dict[str, int | None]
    invalid: set[str]
    unsubscribed: set[str]

    @classmethod
    def parse(cls, response: Mapping[str, Any]) -> _Report:
        ids = response.get("emailToLeadIdMap")
        ids = ids if isinstance(ids, dict) else {}
        return cls(
            new=_email_map(ids.get("newlyAddedLeads")),
            existing=_email_map(ids.get("existingLeads")),
            other=_email_map(ids.get("existingLeadsInOtherCampaigns")),
            invalid=_emails(response.get("invalid_emails")),
            unsubscribed=_emails(response.get("unsubscribed_leads")),
        )


def read_add_report(
    keys: Sequence[str], response: Mapping[str, Any], policy: LeadPolicy
) -> LeadBatchResult:
    """Classify every sent key (lower-cased, unique) from one add-leads response."""
    report = _Report.parse(response)
    skip_other = policy.other_campaign_duplicates is OtherCampaignDuplicates.SKIP
    added: dict[str, int] = {}
    skipped: dict[str, SkipReason] = {}
    for key in keys:
        new_id = report.new.get(key)
        other_id = report.other.get(key)
        if new_id is not None:
            added[key] = new_id
        elif key in report.invalid:
            skipped[key] = SkipReason.INVALID_EMAIL
        elif key in report.unsubscribed:
            skipped[key] = SkipReason.UNSUBSCRIBED
        elif key in report.other and skip_other:
            skipped[key] = SkipReason.IN_OTHER_CAMPAIGN
        elif other_id is not None:
            added[key] = other_id  # allowed into this campaign too (§5.2 flag = false)
        elif key in report.existing:
            skipped[key] = SkipReason.ALREADY_IN_CAMPAIGN
    rest = [k for k in keys if k not in added and k not in skipped]
    exhausted = bool(as_bool(response.get("is_lead_limit_exhausted")))
    skipped.update(_explain_unnamed(rest, response, exhausted, len(report.existing)))
    return LeadBatchResult(added=added, skipped=skipped, limit_exhausted=exhausted)


def _explain_unnamed(
    rest: list[str], response: Mapping[str, Any], exhausted: bool, named_existing: int
) -> dict[str, SkipReason]:
    """Reasons for leads the response only counts: credit stop first, then a single count."""
    out: dict[str, SkipReason] = {}
    if exhausted:
        # The import stops part-way: the rows not reached are the tail of the batch (§5.2).
        stopped = as_int(response.get("lead_import_stopped_count")) or 0
        for key in rest[len(rest) - min(stopped, len(rest)) :]:
            out[key] = SkipReason.CREDIT_LIMIT
        rest = [k for k in rest if k not in out]
    counts = {
        SkipReason.BLOCKED: as_int(response.get("block_count")) or 0,
        SkipReason.BOUNCED: as_int(response.get("bounce_count")) or 0,
        SkipReason.ALREADY_IN_CAMPAIGN: (
            (as_int(response.get("already_added_to_campaign")) or 0) - named_existing
        ),
    }
    nonzero = [reason for reason, n in counts.items() if n > 0]
    if len(nonzero) == 1:
        reason = nonzero[0]
        for key in rest[: counts[reason]]:
            out[key] = reason
    for key in rest:
        out.setdefault(key, SkipReason.UNKNOWN)
    return out
