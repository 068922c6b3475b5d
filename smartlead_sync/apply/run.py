"""Apply a plan: run it through the executor, then re-read what it touched to confirm the result.

Nothing here decides whether to apply (review, staleness, safety: the CLI does that before
calling in). A killed apply needs no recovery: the next run re-reads Smartlead and plans again,
and what was done is simply no longer in the plan.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from functools import partial

from smartlead_sync import __version__
from smartlead_sync.apply.callstats import CampaignCallStats, snapshot, to_report
from smartlead_sync.apply.executor import Executor
from smartlead_sync.apply.jobs import CampaignJob, Interrupted, Step
from smartlead_sync.apply.journal import Journal, JournalEvent
from smartlead_sync.apply.leads import mask_emails_in
from smartlead_sync.apply.progress import Progress
from smartlead_sync.apply.report import ApplyReport, CampaignOutcome, CampaignReport
from smartlead_sync.apply.steps import ProviderPerformer, describe, jobs_from_plan, steps_for
from smartlead_sync.errors import SyncError
from smartlead_sync.estimate import duration_floor
from smartlead_sync.plan import ChangeKind, LeadBatch, Plan
from smartlead_sync.planning import make_plan
from smartlead_sync.refusals import RefusalRecord
from smartlead_sync.settings import Bucket, ToolSettings
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import DesiredCampaign


@dataclass
class ApplyContext:
    """Everything an apply run uses besides the plan; built by the CLI (or a test)."""

    provider: SmartleadProvider
    tool: ToolSettings
    journal: Journal = field(default_factory=Journal.disabled)
    progress: Progress = field(default_factory=Progress.silent)
    stop: threading.Event = field(default_factory=threading.Event)
    shield: Callable[[], AbstractContextManager[None]] = nullcontext
    on_stop_requested: Callable[[], None] = lambda: None
    time_scale: float = 1.0  # limits compressed for an emulator (the floor is scaled alike)
    clock: Callable[[], float] = time.monotonic
    refusals: RefusalRecord | None = None  # where lasting refusals are remembered


def minimum_calls(plan: Plan) -> dict[Bucket, int]:
    """Calls apply cannot do without: the plan's writes, plus the one read that checks every
    new campaign id before anything else is written to it."""
    calls = dict(plan.estimate.calls)
    if any(ch.kind is ChangeKind.CREATE_CAMPAIGN for c in plan.campaigns for ch in c.changes):
        calls[Bucket.GLOBAL] = calls.get(Bucket.GLOBAL, 0) + 1
    return calls


def apply_plan(plan: Plan, desired: Sequence[DesiredCampaign], ctx: ApplyContext) -> ApplyReport:
    """Carry `plan` out, then re-plan the campaigns it changed and report any residual drift."""
    stats = CampaignCallStats()
    ctx.provider.client.stats = stats
    performer = ProviderPerformer(ctx.provider, shield=ctx.shield)
    executor = _executor(ctx, performer, stats, desired)
    jobs = jobs_from_plan(plan)
    ctx.journal.record(
        JournalEvent.RUN_STARTED,
        tool_version=__version__,
        plan_fingerprint=plan.fingerprint,
        campaigns=len(jobs),
        steps=sum(len(job.steps) for job in jobs),
        leads_to_add=plan.counts.leads_add,
    )
    started = ctx.clock()
    try:
        reports = executor.run(jobs)
    finally:
        if ctx.refusals is not None:
            ctx.refusals.update(performer.lasting, performer.attached)
    ctx.progress.close()
    for report in reports:
        report.calls = stats.for_campaign(report.name)
    result = ApplyReport(
        campaigns=reports,
        totals=snapshot(stats),
        duration_seconds=ctx.clock() - started,
        floor_seconds=duration_floor(minimum_calls(plan), ctx.tool.rate_limits) / ctx.time_scale,
        interrupted=ctx.stop.is_set(),
    )
    if not result.interrupted:
        _verify(result, desired, ctx, performer.refused)
    ctx.journal.record(
        JournalEvent.RUN_FINISHED,
        exit_code=int(result.exit_code),
        converged=result.converged,
        interrupted=result.interrupted,
        unverified=result.unverified,
    )
    return result


def _verify(
    result: ApplyReport,
    desired: Sequence[DesiredCampaign],
    ctx: ApplyContext,
    refused: dict[str, set[str]],
) -> None:
    """The final re-read. Stopped (Ctrl-C, SIGTERM) or failed, it costs only the check: the
    writes are done, so the report and the journal's end are still written."""
    try:
        check_convergence(result, desired, ctx, refused)
    except (KeyboardInterrupt, Interrupted):
        ctx.stop.set()
        result.unverified = "the final re-read was interrupted"
    except SyncError as exc:
        result.unverified = f"the final re-read failed: {mask_emails_in(exc.message)}"


def _executor(
    ctx: ApplyContext,
    performer: ProviderPerformer,
    stats: CampaignCallStats,
    desired: Sequence[DesiredCampaign],
) -> Executor:
    return Executor(
        performer,
        ctx.journal,
        ctx.progress,
        ctx.tool.max_concurrent_campaigns,
        ctx.stop,
        ctx.on_stop_requested,
        scope=stats.campaign,
        replan=partial(_replan, desired, ctx),
    )


def _replan(desired: Sequence[DesiredCampaign], ctx: ApplyContext, job: CampaignJob) -> list[Step]:
    """The steps `job` still needs on the campaign it adopted: planned again, pinned to its id,
    since the run that created it may have configured part of it already."""
    wanted = next((d for d in desired if d.state.name == job.name), None)
    if wanted is None or job.campaign_id is None:
        return list(job.steps[1:])
    pinned = replace(wanted, state=replace(wanted.state, id=job.campaign_id))
    plan = make_plan(ctx.provider, [pinned], ctx.tool)
    return [step for campaign in plan.campaigns for step in steps_for(campaign)]


def check_convergence(
    result: ApplyReport,
    desired: Sequence[DesiredCampaign],
    ctx: ApplyContext,
    refused: dict[str, set[str]],
) -> None:
    """One re-read of the campaigns that were applied: any change still planned is residual
    drift, except leads Smartlead refused for a stated reason (already in the report)."""
    applied = {r.name for r in result.campaigns if r.outcome is CampaignOutcome.APPLIED}
    subset = [d for d in desired if d.state.name in applied]
    if not subset:
        return
    before = snapshot(ctx.provider.client.stats)
    replan = make_plan(ctx.provider, subset, ctx.tool)
    result.reread = to_report(ctx.provider.client.stats, before)
    residual: list[str] = []
    for campaign in replan.campaigns:
        gone = refused.get(campaign.name, set())
        to_add = 0
        for change in campaign.changes:
            if change.kind is ChangeKind.ADD_LEADS and isinstance(change.payload, LeadBatch):
                to_add += sum(1 for lead in change.payload.leads if lead.key not in gone)
            else:
                residual.append(f"{campaign.name}: {describe(change)}")
        if to_add:
            residual.append(f"{campaign.name}: {to_add} lead(s) still to add")
    result.residual_drift = residual
    result.converged = not residual
    _note_residual(result.campaigns, residual)


def _note_residual(reports: Sequence[CampaignReport], residual: Sequence[str]) -> None:
    for report in reports:
        mine = [line for line in residual if line.startswith(f"{report.name}: ")]
        if mine:
            report.notes.append(f"{len(mine)} difference(s) remain after the re-read")
