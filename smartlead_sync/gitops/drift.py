"""Where each planned change comes from: the repository, or a change made in Smartlead outside it.

A plan compares the files with live Smartlead; by itself it cannot say which side moved. Given
the files as they were at a base commit (the last one applied, or a pull request's base), it
can: a planned change whose desired value differs between the base and now comes from the
repository; one whose desired value did not move means Smartlead differs from what the
repository already said, so it was changed outside the repository (or the base was never
fully applied). Pure: `attribute_changes(plan, current, base)`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from smartlead_sync.masking import printable
from smartlead_sync.plan.change_kinds import FieldChange, Value
from smartlead_sync.plan.changes import (
    AddLeadsChange,
    AttachMailboxesChange,
    Change,
    CreateCampaignChange,
    CreateWebhookChange,
    DeleteCampaignChange,
    DeleteWebhookChange,
    DetachMailboxesChange,
    LeadsChange,
    PauseForSequenceChange,
    RemoveLeadsChange,
    RenameChange,
    SaveSequenceChange,
    SetStatusChange,
    UpdateLeadsChange,
    UpdateScheduleChange,
    UpdateSettingsChange,
    UpdateWebhookChange,
    assert_never,
)
from smartlead_sync.plan.diff_config import schedule_changes, sequence_changes, settings_changes
from smartlead_sync.plan.normalize import normalize_campaign, normalize_lead_value
from smartlead_sync.plan.payloads import LeadBatch, LeadRemovals, LeadUpdates, SetStatus
from smartlead_sync.plan.plan_model import Action
from smartlead_sync.plan.plan_types import CampaignPlan, Plan
from smartlead_sync.render.markdown import code, inert_text
from smartlead_sync.render.rows import format_value
from smartlead_sync.state import STANDARD_LEAD_FIELDS, CampaignState, DesiredCampaign, Lead


class Origin(str, Enum):
    REPOSITORY = "repository"  # the files changed since the base
    SMARTLEAD = "smartlead"  # the files did not: Smartlead was changed outside the repository


@dataclass(frozen=True, slots=True)
class Attributed:
    campaign: str
    what: str  # e.g. "status: active -> paused", "step 2.variant B.subject", "2 leads to add"
    origin: Origin


@dataclass(frozen=True)
class DriftReport:
    base: str  # the base as the user named it (a ref or a commit)
    items: tuple[Attributed, ...]

    def of(self, origin: Origin) -> tuple[Attributed, ...]:
        return tuple(item for item in self.items if item.origin is origin)


def attribute_changes(
    plan: Plan, current: Sequence[DesiredCampaign], base: Sequence[DesiredCampaign], base_ref: str
) -> DriftReport:
    """Every change of `plan`, attributed by comparing `current` files with `base` files."""
    by_source = {c.source: c for c in current}
    items: list[Attributed] = []
    for campaign in plan.campaigns:
        now = by_source.get(campaign.source)
        if now is not None and campaign.changes:
            items += _attribute_campaign(campaign, now, _base_of(now, base))
    return DriftReport(base_ref, tuple(items))


def _base_of(now: DesiredCampaign, base: Sequence[DesiredCampaign]) -> DesiredCampaign | None:
    """The same campaign at the base: same file, else same id pin, else same client and name."""
    for match in (
        lambda b: b.source == now.source,
        lambda b: now.state.id is not None and b.state.id == now.state.id,
        lambda b: _identity(b) == _identity(now) or b.state.name in now.previous_names,
    ):
        found = [b for b in base if match(b)]
        if found:
            return found[0]
    return None


def _identity(campaign: DesiredCampaign) -> tuple[int | None, str]:
    return campaign.state.client_id, campaign.state.name.strip()


def _attribute_campaign(
    plan: CampaignPlan, now: DesiredCampaign, then: DesiredCampaign | None
) -> list[Attributed]:
    if plan.action is Action.CREATE:
        # Already declared at the base under the same identity: it went missing in Smartlead.
        missing = then is not None and _identity(then) == _identity(now) and not then.delete
        what = "campaign to create: it is missing in Smartlead" if missing else "new campaign"
        return [Attributed(plan.name, what, Origin.SMARTLEAD if missing else Origin.REPOSITORY)]
    if plan.action is Action.DELETE:
        same = then is not None and then.delete
        origin = Origin.SMARTLEAD if same else Origin.REPOSITORY
        return [Attributed(plan.name, "campaign to delete (`delete: true`)", origin)]
    if then is None:  # first declared since the base: everything comes from the repository
        want = normalize_campaign(now.state)
        return [
            Attributed(plan.name, what, Origin.REPOSITORY)
            for change in plan.changes
            for what, _ in _described(change, want, want)
        ]
    want_now, want_then = normalize_campaign(now.state), normalize_campaign(then.state)
    return [
        Attributed(plan.name, what, Origin.SMARTLEAD if same else Origin.REPOSITORY)
        for change in plan.changes
        for what, same in _described(change, want_now, want_then)
    ]


def _described(
    change: Change, now: CampaignState, then: CampaignState
) -> Iterator[tuple[str, bool]]:
    """(what changes, whether the files say the same about it now as at the base)."""
    match change:
        case PauseForSequenceChange():
            return  # mechanics of a sequence save, attributed with the sequence
        case SetStatusChange(SetStatus(restore=True)):
            return
        case RenameChange() | SetStatusChange():
            for field in change.fields:
                same = getattr(then, field.path, None) == getattr(now, field.path, None)
                yield _field_text(field.path, field.before, field.after), same
        case UpdateSettingsChange():
            yield from _fields(change, settings_changes(now.settings, then.settings), "settings")
        case UpdateScheduleChange():
            yield from _fields(change, schedule_changes(now.schedule, then.schedule), "schedule")
        case SaveSequenceChange():
            yield from _fields(change, sequence_changes(now.sequence, then.sequence), "sequence")
        case AttachMailboxesChange() | DetachMailboxesChange():
            for field in change.fields:
                email = str(field.after if field.before is None else field.before)
                moved = (email in (now.mailboxes or ())) != (email in (then.mailboxes or ()))
                verb = "attach" if field.before is None else "detach"
                yield f"{verb} mailbox {printable(email)}", not moved
        case CreateWebhookChange() | UpdateWebhookChange() | DeleteWebhookChange():
            name = change.target or ""
            same = _webhook(now, name) == _webhook(then, name)
            yield f"{change.kind.value.replace('_', ' ')} '{printable(name)}'", same
        case AddLeadsChange() | UpdateLeadsChange() | RemoveLeadsChange():
            yield from _leads(change, now.leads or {}, then.leads or {})
        case CreateCampaignChange() | DeleteCampaignChange():  # attributed per campaign
            yield change.kind.value.replace("_", " "), False
        case _:
            assert_never(change)


def _fields(
    change: Change, moved: Sequence[FieldChange], section: str
) -> Iterator[tuple[str, bool]]:
    repository = {f.path for f in moved}
    for field in change.fields:
        text = _field_text(f"{section} {field.path}", field.before, field.after)
        yield text, field.path not in repository


def _field_text(path: str, before: Value, after: Value) -> str:
    if "body" in path.rsplit(".", maxsplit=1)[-1]:
        return path  # bodies are long: the plan above shows their diff
    shown = [format_value(v) for v in (before, after)]
    if any(len(v) > 60 for v in shown):
        return path
    return f"{path}: {shown[0]} -> {shown[1]}"


def _webhook(state: CampaignState, name: str) -> object:
    return next((w for w in state.webhooks or () if w.name == name), None)


def _lead_data(lead: Lead | None) -> tuple[object, ...] | None:
    if lead is None:
        return None
    standard = tuple(normalize_lead_value(getattr(lead, f)) for f in STANDARD_LEAD_FIELDS[1:])
    custom = tuple(sorted((k, normalize_lead_value(v)) for k, v in lead.custom_fields))
    return (*standard, custom)


def _leads(
    change: LeadsChange, now: Mapping[str, Lead], then: Mapping[str, Lead]
) -> Iterator[tuple[str, bool]]:
    """Lead changes split by origin: a lead the files did not change is drift."""
    match change:
        case AddLeadsChange(LeadBatch(leads=leads)):
            keys, verb = [lead.key for lead in leads], "to add"
        case UpdateLeadsChange(LeadUpdates(updates=updates)):
            keys, verb = [u.email.strip().lower() for u in updates], "to update"
        case RemoveLeadsChange(LeadRemovals(leads=leads)):
            keys, verb = [lead.key for lead in leads], "to remove"
        case _:
            assert_never(change)
    same = sum(_lead_data(now.get(k)) == _lead_data(then.get(k)) for k in keys)
    if same:
        yield f"{same} lead(s) {verb}", True
    if len(keys) - same:
        yield f"{len(keys) - same} lead(s) {verb}", False


# ----- rendering -----------------------------------------------------------------------------


def _headings(report: DriftReport) -> dict[Origin, tuple[str, str]]:
    """(title, remark) per origin."""
    return {
        Origin.SMARTLEAD: (
            "Changed in Smartlead, outside the repository",
            "applying this plan undoes it",
        ),
        Origin.REPOSITORY: ("Changed in the repository", f"since {report.base}"),
    }


def drift_text(report: DriftReport) -> str:
    """The attribution as plain text, to print after a text plan ("" when nothing changes)."""
    if not report.items:
        return ""
    lines = ["", f"Where the changes come from (the files compared with {report.base}):"]
    for origin, (title, remark) in _headings(report).items():
        items = report.of(origin)
        if items:
            lines.append(f"  {title} ({remark}):")
            lines += [f"    {printable(item.campaign)}: {printable(item.what)}" for item in items]
    return "\n".join(lines) + "\n"


def drift_markdown(report: DriftReport) -> str:
    """The attribution as markdown, to append to a markdown plan ("" when nothing changes)."""
    if not report.items:
        return ""
    lines = ["", "", "### Where the changes come from", ""]
    lines.append(f"The campaign files compared with {code(report.base)}.")
    for origin, (title, remark) in _headings(report).items():
        items = report.of(origin)
        if items:
            lines += ["", f"**{title}** ({inert_text(remark)}):", ""]
            lines += [
                f"- {inert_text(item.campaign)}: {code(printable(item.what))}" for item in items
            ]
    return "\n".join(lines) + "\n"
