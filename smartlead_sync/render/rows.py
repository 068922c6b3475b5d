"""One row model for every rendering of a plan: markers, titles, formatted and masked values.

Renderers only lay rows out. Everything a reader may see is decided here once: webhook URL
credentials and query strings are masked, leads appear as counts and masked samples, bodies
as line diffs, and every text that comes from a file or from Smartlead (names, values, body
lines, notes) has its control, bidirectional and invisible characters escaped (`printable`).
Rows are built only from what a plan file keeps (never from payloads), so a plan read back
from JSON renders the same.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import Enum

from smartlead_sync.masking import mask_url, printable
from smartlead_sync.plan.change_kinds import (
    ChangeKind,
    FieldChange,
    LeadSummary,
    ShownChange,
    Value,
    adds_object,
    takes_off_object,
)
from smartlead_sync.plan.estimate import describe_duration
from smartlead_sync.plan.normalize import html_lines
from smartlead_sync.plan.plan_model import Action, PlanCounts, ShownCampaignPlan, ShownPlan
from smartlead_sync.plan.safety import safety_violations
from smartlead_sync.redaction import shown_pair


class Marker(str, Enum):
    CREATE = "+"
    UPDATE = "~"
    REMOVE = "-"
    IRREVERSIBLE = "!"
    SAME = " "


@dataclass(frozen=True)
class FieldRow:
    marker: Marker
    path: str
    before: str | None  # formatted for display; None: absent
    after: str | None
    body: tuple[tuple[Marker, str], ...] = ()  # a body's changed lines (bodies only)
    is_body: bool = False


@dataclass(frozen=True)
class ChangeRow:
    marker: Marker
    kind: ChangeKind
    title: str
    note: str | None
    fields: tuple[FieldRow, ...]
    leads: LeadSummary | None = None


@dataclass(frozen=True)
class CampaignRow:
    marker: Marker
    name: str
    live_id: int | None
    source: str
    action: Action
    notes: tuple[str, ...]
    changes: tuple[ChangeRow, ...]
    leads: tuple[int, int, int]  # to add, update, remove


@dataclass(frozen=True)
class PlanRows:
    campaigns: tuple[CampaignRow, ...]
    summary: str
    has_changes: bool
    counts: PlanCounts
    safety: tuple[str, ...]
    unverifiable: str | None
    warnings: tuple[str, ...]
    fingerprint: str
    refused: tuple[str, ...] = ()


REFUSED_HEADING = (
    "Refused by Smartlead before, not sent again (not changes; apply --retry-refused sends them)"
)


def format_value(value: Value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(printable(str(v)) for v in value) + "]"
    if isinstance(value, str):
        return '"' + printable(value.replace("\\", "\\\\").replace('"', '\\"')) + '"'
    return str(value)


def _marker(change: FieldChange) -> Marker:
    if change.before is None:
        return Marker.CREATE
    return Marker.REMOVE if change.after is None else Marker.UPDATE


def body_diff(before: str | None, after: str | None) -> tuple[tuple[Marker, str], ...]:
    """Changed lines of a body, with one line of context around each change."""
    old, new = html_lines(before or ""), html_lines(after or "")
    rows: list[tuple[Marker, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for group in matcher.get_grouped_opcodes(1):
        if rows:
            rows.append((Marker.SAME, "..."))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [(Marker.SAME, printable(line)) for line in old[i1:i2]]
                continue
            rows += [(Marker.REMOVE, printable(line)) for line in old[i1:i2]]
            rows += [(Marker.CREATE, printable(line)) for line in new[j1:j2]]
    return tuple(rows)


def field_row(change: FieldChange) -> FieldRow:
    path = printable(change.path)  # a mailbox address is a path
    if change.path == "body" or change.path.endswith(".body"):
        before = change.before if isinstance(change.before, str) else None
        after = change.after if isinstance(change.after, str) else None
        lines = body_diff(before, after)  # escaped line by line
        shown_before = None if before is None else printable(before)
        shown_after = None if after is None else printable(after)
        return FieldRow(_marker(change), path, shown_before, shown_after, lines, is_body=True)
    before_v, after_v = shown_pair(change.before, change.after)
    if change.path == "url":
        before_v = mask_url(before_v) if isinstance(before_v, str) else before_v
        after_v = mask_url(after_v) if isinstance(after_v, str) else after_v
    before = None if change.before is None else format_value(before_v)
    after = None if change.after is None else format_value(after_v)
    return FieldRow(_marker(change), path, before, after)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


_TITLES: dict[ChangeKind, str] = {
    ChangeKind.CREATE_CAMPAIGN: "create campaign",
    ChangeKind.PAUSE: "pause",
    ChangeKind.RENAME: "rename",
    ChangeKind.UPDATE_SETTINGS: "settings",
    ChangeKind.UPDATE_SCHEDULE: "schedule",
    ChangeKind.SAVE_SEQUENCE: "sequence",
    ChangeKind.SET_STATUS: "status",
    ChangeKind.DELETE_CAMPAIGN: "delete campaign",
}


def _title(change: ShownChange, count: int, batches: int) -> str:
    match change.kind:
        case ChangeKind.ATTACH_MAILBOXES:
            return "attach " + _plural(len(change.fields), "mailbox", "mailboxes")
        case ChangeKind.DETACH_MAILBOXES:
            return "detach " + _plural(len(change.fields), "mailbox", "mailboxes")
        case ChangeKind.CREATE_WEBHOOK | ChangeKind.UPDATE_WEBHOOK | ChangeKind.DELETE_WEBHOOK:
            verb = change.kind.value.split("_")[0]
            return f"{verb} webhook '{printable(change.target or '')}'"
        case ChangeKind.ADD_LEADS:
            title = "add " + _plural(count, "lead")
            return title + (f" in {batches} batches" if batches > 1 else "")
        case ChangeKind.UPDATE_LEADS:
            return "update " + _plural(count, "lead")
        case ChangeKind.REMOVE_LEADS:
            return "remove " + _plural(count, "lead")
    return _TITLES[change.kind]


def _change_marker(change: ShownChange, creating: bool) -> Marker:
    if change.irreversible:
        return Marker.IRREVERSIBLE
    if takes_off_object(change):
        return Marker.REMOVE
    if adds_object(change) or (creating and change.kind is not ChangeKind.SET_STATUS):
        return Marker.CREATE
    return Marker.UPDATE


def _change_row(
    change: ShownChange, creating: bool, leads: LeadSummary | None, batches: int
) -> ChangeRow:
    return ChangeRow(
        _change_marker(change, creating),
        change.kind,
        _title(change, leads.count if leads else 0, batches),
        None if change.note is None else printable(change.note),
        tuple(field_row(f) for f in change.fields),
        None if leads is None else _shown_leads(leads),
    )


def _shown_leads(leads: LeadSummary) -> LeadSummary:
    """Samples are masked already; field names are CSV headers, written by anyone."""
    return LeadSummary(leads.count, _shown(leads.samples), _shown(leads.fields))


def _shown(texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(printable, texts))


def _change_rows(changes: tuple[ShownChange, ...], creating: bool) -> tuple[ChangeRow, ...]:
    """One row per change, except that all add-leads batches of a campaign show as one row
    (the count summed) where the first one stands."""
    rows: list[ChangeRow] = []
    adds = [c for c in changes if c.kind is ChangeKind.ADD_LEADS and c.leads is not None]
    for change in changes:
        if change.kind is not ChangeKind.ADD_LEADS:
            rows.append(_change_row(change, creating, change.leads, 1))
        elif change is adds[0]:
            first = adds[0].leads
            assert first is not None
            total = sum(c.leads.count for c in adds if c.leads is not None)
            summary = LeadSummary(total, first.samples, first.fields)
            rows.append(_change_row(change, creating, summary, len(adds)))
    return tuple(rows)


def campaign_row(campaign: ShownCampaignPlan) -> CampaignRow:
    changes = _change_rows(campaign.changes, campaign.action is Action.CREATE)
    if any(c.marker is Marker.IRREVERSIBLE for c in changes):
        marker = Marker.IRREVERSIBLE
    else:
        marker = {Action.CREATE: Marker.CREATE, Action.UPDATE: Marker.UPDATE}.get(
            campaign.action, Marker.SAME
        )
    leads = (
        campaign.lead_count(ChangeKind.ADD_LEADS),
        campaign.lead_count(ChangeKind.UPDATE_LEADS),
        campaign.lead_count(ChangeKind.REMOVE_LEADS),
    )
    return CampaignRow(
        marker,
        printable(campaign.name),
        campaign.live_id,
        printable(campaign.source),  # a committed file name may hold terminal escapes
        campaign.action,
        _shown(campaign.notes),
        changes,
        leads,
    )


def summary_line(plan: ShownPlan) -> str:
    counts = plan.counts
    if not plan.has_changes:
        return f"No changes. Smartlead matches the files ({_plural(counts.unchanged, 'campaign')})."
    parts = [
        f"{counts.create} to create" if counts.create else "",
        f"{counts.update} to update" if counts.update else "",
        f"{counts.delete} to delete" if counts.delete else "",
        f"{_plural(counts.leads_add, 'lead')} to add" if counts.leads_add else "",
        f"{_plural(counts.leads_update, 'lead')} to update" if counts.leads_update else "",
        f"{_plural(counts.leads_remove, 'lead')} to remove" if counts.leads_remove else "",
    ]
    calls = plan.estimate.total
    timing = f"{describe_duration(plan.estimate.floor_seconds)} at your rate limits"
    return f"{', '.join(p for p in parts if p)}; {timing} ({_plural(calls, 'API call')})"


def unverifiable_note(plan: ShownPlan) -> str | None:
    if not plan.unverifiable:
        return None
    return (
        "Smartlead accepts these settings but never returns them, so plan cannot check them: "
        + ", ".join(_shown(plan.unverifiable))
        + ". They are sent when a campaign is created and with every settings or sequence "
        "write, and never shown as a change."
    )


def plan_rows(plan: ShownPlan) -> PlanRows:
    violations = safety_violations(plan)
    return PlanRows(
        campaigns=tuple(campaign_row(c) for c in plan.campaigns),
        summary=summary_line(plan),
        has_changes=plan.has_changes,
        counts=plan.counts,
        safety=_shown(tuple(v.render() for v in violations)),
        unverifiable=unverifiable_note(plan),
        warnings=_shown(plan.warnings),
        fingerprint=plan.fingerprint,
        refused=_shown(plan.refused),
    )
