"""Fingerprints that tie an applied plan to the reviewed one.

A plan carries three: `live_fingerprint` (what was read from Smartlead), `desired_fingerprint`
(what the files said) and `fingerprint`, which is of what apply would DO: every change of every
campaign, with what it writes. `apply --plan plan.json` re-loads the files, re-reads Smartlead
and rebuilds the plan; it runs only when the rebuilt plan has the saved `fingerprint`. Live or
file movements that leave the changes as they were (a lead added in the UI to a campaign that
does not prune, a counter, an unmanaged setting, a file reformatted) do not make a plan stale;
anything that adds, drops or alters a change does. The two other fingerprints say which side
moved when it is stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, replace
from operator import attrgetter

from smartlead_sync.plan.canonical import JSON, digest, jsonable
from smartlead_sync.plan.changes import Change
from smartlead_sync.plan.normalize import normalize_campaign
from smartlead_sync.plan.payloads import (
    LeadBatch,
    LeadRemovals,
    LeadUpdate,
    LeadUpdates,
    MailboxChange,
    Payload,
    SaveSequence,
    UpdateSettings,
)
from smartlead_sync.plan.plan_model import FORMAT_VERSION, ShownPlan
from smartlead_sync.plan.plan_types import CampaignPlan
from smartlead_sync.state import (
    CampaignState,
    CampaignSummary,
    DesiredCampaign,
    Lead,
    Mailbox,
    Step,
)


def live_fingerprint(
    summaries: Iterable[CampaignSummary],
    campaigns: Iterable[CampaignState],
    mailboxes: Iterable[Mailbox],
) -> str:
    """Of the live state a plan was computed against: the list rows that identity resolution
    looked at, the campaigns read in depth (normalized, ids and leads included) and the
    mailboxes the files name."""
    ordered = sorted(campaigns, key=lambda c: c.id or 0)
    return digest(
        {
            "summaries": sorted(summaries, key=lambda s: s.id),
            "campaigns": [normalize_campaign(replace(c, leads=None)) for c in ordered],
            "leads": [leads_digest(c.leads) for c in ordered],
            "mailboxes": sorted(mailboxes, key=lambda m: m.id),
        }
    )


def desired_fingerprint(campaigns: Sequence[DesiredCampaign]) -> str:
    """Of the desired campaigns as loaded (lead data included) and their opt-ins."""
    return digest(
        {
            "campaigns": [replace(c, state=replace(c.state, leads=None)) for c in campaigns],
            "leads": [leads_digest(c.state.leads) for c in campaigns],
        }
    )


_LEAD_NAMES = [f.name for f in fields(Lead)]
_CUSTOM = _LEAD_NAMES.index("custom_fields")
# A lead is hashed as `repr` of the tuple of its fields, written out piece by piece: the
# custom fields (a tuple of pairs, and the slow part of that repr) repeat from lead to lead,
# so their text is made once per distinct set. The bytes are exactly those of the repr.
_BEFORE = attrgetter(*_LEAD_NAMES[:_CUSTOM])
_AFTER = attrgetter(*_LEAD_NAMES[_CUSTOM + 1 :])
_BEFORE_TEXT = "(" + "%r, " * _CUSTOM
_AFTER_TEXT = ", %r" * (len(_LEAD_NAMES) - _CUSTOM - 1) + ")"
_CHUNK = 10_000  # leads per hash update, which bounds the text held at once


def leads_digest(leads: Mapping[str, Lead] | None) -> str | None:
    """Of a campaign's leads, every field, in order: sha256 over `repr` of each lead's tuple
    of fields, one after another (a million leads, so no canonical JSON here)."""
    if leads is None:
        return None
    h = hashlib.sha256()
    custom_text: dict[tuple[tuple[str, str], ...], str] = {}
    parts: list[str] = []
    for lead in leads.values():
        custom = lead.custom_fields
        text = custom_text.get(custom)
        if text is None:
            text = custom_text[custom] = repr(custom)
        parts += (_BEFORE_TEXT % _BEFORE(lead), text, _AFTER_TEXT % _AFTER(lead))
        if len(parts) >= 3 * _CHUNK:
            h.update("".join(parts).encode("utf-8", "surrogatepass"))
            parts.clear()
            custom_text.clear()
    h.update("".join(parts).encode("utf-8", "surrogatepass"))
    return "sha256:" + h.hexdigest()


def plan_fingerprint(campaigns: Iterable[CampaignPlan]) -> str:
    """Of what apply would do: each campaign with changes (its identity and live id) and each
    change as shown (kind, target, fields before and after, lead counts) with what it writes."""
    return digest(
        {
            "format_version": FORMAT_VERSION,
            "campaigns": [
                {
                    "name": c.name,
                    "client_id": c.client_id,
                    "live_id": c.live_id,
                    "changes": [_change_meaning(change) for change in c.changes],
                }
                for c in campaigns
                if c.changes
            ],
        }
    )


def _change_meaning(change: Change) -> JSON:
    shown: JSON = {
        "kind": change.kind.value,
        "fields": jsonable(change.fields),
        "leads": jsonable(change.leads),
        "target": change.target,
        "note": change.note,
        "payload": None,
    }
    return {"shown": shown, "writes": _writes(change.payload)}


_SOURCE = [f.name for f in fields(Lead)].index("source")


def _lead_data(lead: Lead) -> JSON:
    """A lead's data without where it was read from (a CSV line moving changes nothing)."""
    data = list(jsonable(lead))  # type: ignore[arg-type]  # a lead is a flat list
    del data[_SOURCE]
    return data


def _writes(payload: Payload) -> JSON:
    """What a payload sends, without the live values it carries only to build the call: the
    live settings merged into a settings write, live step and variant ids, a mailbox's display
    name, the live data of leads being removed, and the untouched custom fields of a lead."""
    match payload:
        case UpdateSettings(settings=settings):
            return {"settings": jsonable(settings)}
        case SaveSequence(steps=steps):
            return {"steps": [_step_content(step) for step in steps]}
        case MailboxChange(mailboxes=mailboxes):
            return {"mailboxes": [[m.id, m.email] for m in mailboxes]}
        case LeadBatch(leads=leads, policy=policy, number=number, of=of):
            return {
                "leads": [_lead_data(lead) for lead in leads],
                "policy": jsonable(policy),
                "batch": [number, of],
            }
        case LeadUpdates(updates=updates):
            return {"updates": [_update_meaning(u) for u in updates]}
        case LeadRemovals(leads=leads):
            return {"remove": [[lead.id, lead.email.lower()] for lead in leads]}
    return jsonable(payload)


def _step_content(step: Step) -> JSON:
    """A step as written, without the live ids that keep its stats (mapped afresh each run)."""
    variants = tuple(replace(v, id=None) for v in step.variants)
    return jsonable(replace(step, id=None, variants=variants))


def _update_meaning(update: LeadUpdate) -> JSON:
    touched = {name.removeprefix("custom_fields.") for name in update.changed}
    return {
        "lead": [update.lead_id, update.email.lower()],
        "fields": jsonable(update.fields),
        "custom_fields": [[k, v] for k, v in update.custom_fields if k in touched],
        "changed": list(update.changed),
    }


def staleness(saved: ShownPlan, rebuilt: ShownPlan, *, partial: bool = False) -> list[str]:
    """Why a saved plan is not the one a rebuild gives now (empty: apply would do the same).

    `partial`: the rebuild read only what the saved changes touch, so its live and desired
    fingerprints cover less than the saved ones and say nothing about which side moved."""
    if saved.format_version != rebuilt.format_version:
        return [
            f"the plan file has format {saved.format_version}, this tool writes "
            f"{rebuilt.format_version}"
        ]
    if saved.fingerprint == rebuilt.fingerprint:
        return []
    reasons = ["what apply would do changed since the plan was made"]
    if partial:
        return reasons
    if saved.live_fingerprint != rebuilt.live_fingerprint:
        reasons.append("Smartlead changed")
    if saved.desired_fingerprint != rebuilt.desired_fingerprint:
        reasons.append("the campaign files or lead files changed")
    if len(reasons) == 1:
        reasons.append("neither Smartlead nor the files moved: different tool settings or version?")
    return reasons
