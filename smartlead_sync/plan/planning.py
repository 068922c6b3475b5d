"""Read live state through a provider, resolve identities, diff, and build the Plan.

`read_live` is the only part that calls the provider: the account's campaign list once, the
mailbox list when a file names mailboxes, and each declared campaign in depth (only the parts
its file manages). `build_plan` is a pure function of its inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Protocol, runtime_checkable

from smartlead_sync.errors import InputError, Problem
from smartlead_sync.health.analytics_counts import CampaignCounts, Period
from smartlead_sync.health.holds import Hold, apply_holds, guard_holds
from smartlead_sync.masking import printable
from smartlead_sync.plan.diff import CampaignDiff, DiffContext, diff_campaign
from smartlead_sync.plan.estimate import estimate_calls
from smartlead_sync.plan.fingerprint import desired_fingerprint, live_fingerprint, plan_fingerprint
from smartlead_sync.plan.identity import Match, Resolution, resolve_identities
from smartlead_sync.plan.plan_types import CampaignPlan, Plan
from smartlead_sync.plan.refusals import Refusals, refused_line
from smartlead_sync.plan.renames import ContentReader, find_renamed
from smartlead_sync.state import (
    CampaignPart,
    CampaignState,
    CampaignSummary,
    DesiredCampaign,
    Mailbox,
    Status,
)
from smartlead_sync.tool_settings import ToolSettings


class LiveReader(Protocol):
    """What planning needs from the Smartlead provider (smartlead/provider.py)."""

    def list_campaigns(self) -> list[CampaignSummary]: ...

    def list_mailboxes(self) -> list[Mailbox]: ...

    def read_parts(self, campaign_id: int, parts: Collection[CampaignPart]) -> CampaignState: ...


@runtime_checkable
class CountsReader(Protocol):
    """Analytics for guards; a reader without it holds every campaign a guard may hold."""

    def read_counts(self, campaign_id: int, period: Period) -> CampaignCounts: ...


Progress = Callable[[int, int, str], None]  # (campaigns read, campaigns to read, name)


@dataclass(frozen=True)
class LiveSnapshot:
    summaries: tuple[CampaignSummary, ...]  # every campaign of the account
    campaigns: Mapping[int, CampaignState]  # the declared ones, read in depth, by id
    mailboxes: tuple[Mailbox, ...]  # the account's mailboxes (empty when no file names one)
    # campaign file -> live campaigns no file declares that its planned create looks like
    resembles: Mapping[str, tuple[CampaignSummary, ...]] = field(default_factory=dict)


Touched = Mapping[str, frozenset[CampaignPart]]  # campaign name -> the only parts to read


def _fail_on(problems: Sequence[Problem]) -> None:
    if problems:
        raise InputError(list(problems), f"the plan cannot be made ({len(problems)} problem(s))")


def read_live(
    reader: LiveReader,
    desired: Sequence[DesiredCampaign],
    *,
    progress: Progress | None = None,
    touched: Touched | None = None,
) -> tuple[LiveSnapshot, Resolution]:
    """Read what the plan needs, and nothing of campaigns no file declares. With `touched`
    (a saved plan's changes), each campaign is read only where those changes write; the other
    parts are taken as the files have them (the saved plan found no difference there)."""
    summaries = tuple(reader.list_campaigns())
    resolution = resolve_identities(desired, summaries)
    _fail_on(resolution.problems)
    resembles: Mapping[str, tuple[CampaignSummary, ...]] = {}
    if isinstance(reader, ContentReader):
        lookalikes = find_renamed(reader, resolution, summaries)
        resolution, resembles = lookalikes.resolution, lookalikes.resembles

    def parts_of(state: CampaignState) -> frozenset[CampaignPart]:
        managed = managed_parts(state)
        return managed if touched is None else managed & touched.get(state.name, frozenset())

    mailboxes: tuple[Mailbox, ...] = ()
    if any(CampaignPart.MAILBOXES in parts_of(d.state) for d in desired):
        mailboxes = tuple(reader.list_mailboxes())
    to_read = [m for m in resolution.matches if m.live is not None and not m.desired.delete]
    campaigns: dict[int, CampaignState] = {}
    for done, match in enumerate(to_read, start=1):
        assert match.live is not None
        parts = parts_of(match.desired.state)
        read = reader.read_parts(match.live.id, parts)
        campaigns[match.live.id] = as_files_have_it(read, match.desired.state, parts)
        if progress is not None:
            progress(done, len(to_read), match.desired.state.name)
    return LiveSnapshot(summaries, campaigns, mailboxes, resembles), resolution


def as_files_have_it(
    read: CampaignState, desired: CampaignState, parts_read: Collection[CampaignPart]
) -> CampaignState:
    """`read` with every part that was not read taken from the files (None where the files
    do not manage it)."""
    unread = {p.value: getattr(desired, p.value) for p in CampaignPart if p not in parts_read}
    return replace(read, **unread)


def managed_parts(desired: CampaignState) -> frozenset[CampaignPart]:
    """The parts a file manages: the only ones worth a read (None = not managed)."""
    return frozenset(p for p in CampaignPart if getattr(desired, p.value) is not None)


def _live_state(match: Match, snapshot: LiveSnapshot) -> CampaignState | None:
    if match.live is None:
        return None
    read = snapshot.campaigns.get(match.live.id)
    if read is not None:
        return read
    summary = match.live  # marked for deletion: the list row is all the plan needs
    return CampaignState(summary.name, summary.client_id, summary.id, summary.status)


def _warnings(match: Match, live: CampaignState | None) -> list[str]:
    started = (Status.ACTIVE, Status.PAUSED, Status.COMPLETED, Status.STOPPED)
    if live is None or live.status not in started or live.sequence != ():
        return []
    if not match.desired.state.sequence:
        return []
    return [
        f"'{printable(live.name)}' is {live.status.value if live.status else '?'} but "
        "Smartlead returned no sequence steps; it does so at times (smartlead-api.md §4.1): "
        "run plan again before applying, since saving now would replace the steps and orphan "
        "their stats"
    ]


def _campaign_plan(
    match: Match,
    live: CampaignState | None,
    diff: CampaignDiff,
    resembles: Sequence[CampaignSummary] = (),
) -> CampaignPlan:
    desired = match.desired
    notes = tuple(n for n in (match.note, *diff.notes) if n)
    return CampaignPlan(
        name=desired.state.name,
        client_id=desired.state.client_id,
        live_id=None if match.live is None else match.live.id,
        source=desired.source,
        changes=diff.changes,
        live_status=None if live is None else live.status,
        live_lead_count=None if live is None or live.leads is None else len(live.leads),
        allow_stop=desired.allow_stop,
        notes=notes,
        resembles=tuple(f"'{printable(c.name)}' (id {c.id})" for c in resembles),
        safety=desired.safety,
    )


@dataclass
class _Planned:
    """What planning each campaign adds up to, before the plan is sealed."""

    campaigns: list[CampaignPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unverifiable: set[str] = field(default_factory=set)
    refused: list[str] = field(default_factory=list)


def _plan_campaigns(
    snapshot: LiveSnapshot,
    resolution: Resolution,
    context: DiffContext,
    holds: Mapping[str, Hold],
) -> _Planned:
    planned = _Planned(problems=list(resolution.problems), warnings=list(resolution.warnings))
    for match in apply_holds(resolution.matches, holds):
        live = _live_state(match, snapshot)
        diff = diff_campaign(match.desired, live, context)
        planned.problems.extend(diff.problems)
        planned.warnings.extend(_warnings(match, live))
        planned.unverifiable.update(diff.unverifiable)
        if diff.refused:
            planned.refused.append(refused_line(match.desired.state.name, diff.refused))
        hold = holds.get(match.desired.source)
        if hold is not None:
            planned.warnings.append(f"'{match.desired.state.name}' is {hold.note()}")
        lookalikes = snapshot.resembles.get(match.desired.source, ())
        planned.campaigns.append(_campaign_plan(match, live, diff, lookalikes))
    return planned


def build_plan(
    desired: Sequence[DesiredCampaign],
    snapshot: LiveSnapshot,
    resolution: Resolution,
    tool: ToolSettings,
    holds: Mapping[str, Hold] | None = None,
    *,
    refused: Refusals | None = None,
) -> Plan:
    """The plan for `desired` against `snapshot`. Raises InputError listing every problem
    (unknown mailbox, impossible status...) rather than planning around it. A campaign in
    `holds` (by source) is planned as paused, with the guards' evidence as a warning. Leads
    in `refused` (refused before by Smartlead) are listed, not planned."""
    mailboxes = {m.email.lower(): m for m in snapshot.mailboxes}
    context = DiffContext(mailboxes, tool.lead_batch_size, refused or {})
    planned = _plan_campaigns(snapshot, resolution, context, holds or {})
    _fail_on(planned.problems)
    named = {e.strip().lower() for d in desired for e in d.state.mailboxes or ()}
    live_fp = live_fingerprint(
        resolution.considered,
        snapshot.campaigns.values(),
        [m for m in snapshot.mailboxes if m.email.lower() in named],
    )
    campaigns = planned.campaigns
    return Plan(
        campaigns=tuple(campaigns),
        estimate=estimate_calls(
            campaigns, tool.rate_limits, tool.rate_limit_profile, tool.max_concurrent_campaigns
        ),
        live_fingerprint=live_fp,
        desired_fingerprint=desired_fingerprint(desired),
        fingerprint=plan_fingerprint(campaigns),
        unverifiable=tuple(sorted(planned.unverifiable)),
        warnings=tuple(planned.warnings),
        refused=tuple(planned.refused),
        live_campaign_count=len(snapshot.summaries),
        safety=tool.safety,
    )


def make_plan(
    reader: LiveReader,
    desired: Sequence[DesiredCampaign],
    tool: ToolSettings,
    *,
    progress: Progress | None = None,
    today: date | None = None,
    refused: Refusals | None = None,
    touched: Touched | None = None,
) -> Plan:
    """Read live state through `reader` and build the plan for `desired`. Guards are read
    only for campaigns a guard may be holding paused (health/holds.py)."""
    snapshot, resolution = read_live(reader, desired, progress=progress, touched=touched)
    counts = reader.read_counts if isinstance(reader, CountsReader) else None
    day = today or datetime.now(timezone.utc).date()
    holds = guard_holds(resolution.matches, counts, day)
    return build_plan(desired, snapshot, resolution, tool, holds, refused=refused)
