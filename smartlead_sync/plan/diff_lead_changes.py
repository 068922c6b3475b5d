"""The lead changes of one campaign: add batches, account-wide updates, removals, and the adds
Smartlead refused before for a lasting reason (left out, listed instead)."""

from __future__ import annotations

from collections.abc import Mapping

from smartlead_sync.masking import mask_email
from smartlead_sync.plan.changes import AddLeadsChange, Change, RemoveLeadsChange, UpdateLeadsChange
from smartlead_sync.plan.diff_leads import LeadDiff, lead_summary
from smartlead_sync.plan.payloads import LeadBatch, LeadRemovals, LeadUpdates
from smartlead_sync.plan.refusals import lead_digest
from smartlead_sync.state import Lead, LeadPolicy


def lead_changes(
    diff: LeadDiff, adds: tuple[Lead, ...], policy: LeadPolicy, batch_size: int
) -> list[Change]:
    """`adds` (the diff's adds, less the refused ones) in batches, then updates, then removals."""
    changes: list[Change] = list(_add_batches(adds, policy, batch_size))
    if diff.updates:
        names = [n for u in diff.updates for n in u.changed]
        summary = lead_summary((u.email for u in diff.updates), len(diff.updates), names)
        note = "account-wide: Smartlead changes these leads in every campaign they are in"
        changes.append(UpdateLeadsChange(LeadUpdates(diff.updates), leads=summary, note=note))
    if diff.removals:
        summary = lead_summary((lead.email for lead in diff.removals), len(diff.removals))
        changes.append(
            RemoveLeadsChange(
                LeadRemovals(diff.removals),
                leads=summary,
                note="their history in this campaign goes with them",
            )
        )
    return changes


def _add_batches(leads: tuple[Lead, ...], policy: LeadPolicy, size: int) -> list[AddLeadsChange]:
    total = (len(leads) + size - 1) // size
    changes = []
    for number in range(1, total + 1):
        batch = leads[(number - 1) * size : number * size]
        summary = lead_summary((lead.email for lead in batch), len(batch))
        changes.append(AddLeadsChange(LeadBatch(batch, policy, number, total), leads=summary))
    return changes


def without_refused(
    adds: tuple[Lead, ...], known: Mapping[str, str]
) -> tuple[tuple[Lead, ...], list[tuple[str, str]]]:
    """The adds less the leads whose digest `known` maps to a lasting refusal reason, and
    those left out as (masked email, reason)."""
    if not known:
        return adds, []
    kept: list[Lead] = []
    refused: list[tuple[str, str]] = []
    for lead in adds:
        reason = known.get(lead_digest(lead.key))
        if reason is None:
            kept.append(lead)
        else:
            refused.append((mask_email(lead.email), reason))
    return tuple(kept), refused
