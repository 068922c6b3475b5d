"""Leads as keyed sets by lower-cased email: adds, field updates (account-wide), removals.

Only the fields the files set are compared, and of custom fields only the keys the files set:
Smartlead merges custom fields on update (§5.5), so other keys are not ours to judge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter

from smartlead_sync.masking import mask_email
from smartlead_sync.plan.change_kinds import LeadSummary
from smartlead_sync.plan.normalize import normalize_lead_value
from smartlead_sync.plan.payloads import LeadUpdate
from smartlead_sync.state import OPTIONAL_LEAD_FIELDS, Lead

_compared = attrgetter(*OPTIONAL_LEAD_FIELDS)
SAMPLE_SIZE = 3


def lead_summary(emails: Iterable[str], count: int, fields: Iterable[str] = ()) -> LeadSummary:
    samples: list[str] = []
    for email in emails:
        if len(samples) == SAMPLE_SIZE:
            break
        samples.append(mask_email(email))
    return LeadSummary(count, tuple(samples), tuple(sorted(set(fields))))


@dataclass(frozen=True, slots=True)
class LeadDiff:
    adds: tuple[Lead, ...]
    updates: tuple[LeadUpdate, ...]
    removals: tuple[Lead, ...]
    kept: int  # live leads that no file lists, left alone because prune is off


def _same(want: str | None, have: str | None) -> bool:
    return want == have or normalize_lead_value(want) == normalize_lead_value(have)


def lead_update(want: Lead, have: Lead) -> LeadUpdate | None:
    """The update that makes `have` show what `want` sets, or None when nothing differs."""
    if want.custom_fields == have.custom_fields and _compared(want) == _compared(have):
        return None  # the common case, decided without a per-field loop
    changed: list[str] = []
    fields: list[tuple[str, str]] = []
    for name in OPTIONAL_LEAD_FIELDS:
        value: str | None = getattr(want, name)
        if value is None or _same(value, getattr(have, name)):
            continue
        if normalize_lead_value(value) is None:  # blank in the file: not managed
            continue
        fields.append((name, value))
        changed.append(name)
    custom = dict(have.custom_fields)
    for key, value in want.custom_fields:
        if _same(value, custom.get(key)) or normalize_lead_value(value) is None:
            continue
        custom[key] = value
        changed.append(f"custom_fields.{key}")
    if not changed:
        return None
    if have.id is None:
        raise ValueError("a live lead was read without its id")
    return LeadUpdate(
        lead_id=have.id,
        email=have.email,
        fields=tuple(fields),
        custom_fields=tuple(sorted(custom.items())),
        changed=tuple(changed),
    )


def diff_leads(
    desired: Mapping[str, Lead], live: Mapping[str, Lead] | None, *, prune: bool
) -> LeadDiff:
    """Adds in file order; updates of leads in both; removals (only with prune) in live order."""
    if live is None:
        return LeadDiff(tuple(desired.values()), (), (), 0)
    adds: list[Lead] = []
    updates: list[LeadUpdate] = []
    for key, want in desired.items():
        have = live.get(key)
        if have is None:
            adds.append(want)
            continue
        update = lead_update(want, have)
        if update is not None:
            updates.append(update)
    extra = [lead for key, lead in live.items() if key not in desired]
    if prune:
        return LeadDiff(tuple(adds), tuple(updates), tuple(extra), 0)
    return LeadDiff(tuple(adds), tuple(updates), (), len(extra))
