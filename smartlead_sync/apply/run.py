"""Apply a plan: run it through the executor, then confirm the result (apply/verify.py).

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
from smartlead_sync.apply.batchcap import BatchCap
from smartlead_sync.apply.callstats import CampaignCallStats, add_calls, snapshot, to_report
from smartlead_sync.apply.executor import Executor
from smartlead_sync.apply.jobs import CampaignJob, Interrupted, Step
from smartlead_sync.apply.journal import Journal, JournalEvent
from smartlead_sync.apply.lead_answers import mask_emails_in
from smartlead_sync.apply.plan_steps import jobs_from_plan, steps_for
from smartlead_sync.apply.progress import Progress
from smartlead_sync.apply.report import ApplyReport, CampaignOutcome, CampaignReport
from smartlead_sync.apply.report import CallStats as ReportCallStats
from smartlead_sync.apply.steps import ProviderPerformer
from smartlead_sync.apply.verify import Applied, read_unconfirmed, verify_applied
from smartlead_sync.apply.writer import LiveWriter
from smartlead_sync.errors import SyncError
from smartlead_sync.plan.estimate import duration_floor
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.plan.refusals import RefusalRecord
from smartlead_sync.state import CampaignState, DesiredCampaign
from smartlead_sync.tool_settings import Bucket, ToolSettings


@dataclass(frozen=True)
class ApplyContext:
    """Everything an apply run uses besides the plan; built complete by the CLI (or a test)."""

    provider: LiveWriter
    tool: ToolSettings
    journal: Journal = field(default_factory=Journal.disabled)
    progress: Progress = field(default_factory=Progress.silent)
    stop: threading.Event = field(default_factory=threading.Event)
    shield: Callable[[], AbstractContextManager[None]] = nullcontext
    on_stop_requested: Callable[[], None] = lambda: None
    time_scale: float = 1.0  # limits compressed for an emulator (the floor is scaled alike)
    batch_cap: BatchCap | None = None  # the account's lead batch cap, when learned earlier
    clock: Callable[[], float] = time.monotonic
    refusals: RefusalRecord | None = None  # where lasting refusals are remembered


_VERIFY_SCOPE = "\x00verification"  # call counts of the read-backs, apart from any campaign


@dataclass(frozen=True)
class _Run:
    """One apply of `plan`: what the steps learn on the way, for the final re-read."""

    plan: Plan
    desired: Sequence[DesiredCampaign]
    ctx: ApplyContext
    performer: ProviderPerformer
    stats: CampaignCallStats  # this run's calls, by campaign
    early: dict[str, CampaignState | None] = field(default_factory=dict)


def minimum_calls(plan: Plan) -> dict[Bucket, int]:
    """Calls apply cannot do without: the plan's estimate (reads, writes, verification)."""
    return dict(plan.estimate.calls)


def apply_plan(plan: Plan, desired: Sequence[DesiredCampaign], ctx: ApplyContext) -> ApplyReport:
    """Carry `plan` out, then confirm what the write answers did not and report any residual
    drift. The report counts every call the provider made, the plan's reads included."""
    planning = snapshot(ctx.provider.stats)
    with ctx.provider.stats.tapped(CampaignCallStats()) as stats:
        performer = ProviderPerformer(ctx.provider, shield=ctx.shield, batch_cap=ctx.batch_cap)
        run = _Run(plan, desired, ctx, performer, stats)
        result = _execute(run, planning)
        if not result.interrupted:
            _verify(result, run)
            if result.reread is not None:
                result.reread = add_calls(result.reread, stats.for_campaign(_VERIFY_SCOPE))
            result.totals = snapshot(ctx.provider.stats)
    ctx.journal.record(
        JournalEvent.RUN_FINISHED,
        exit_code=int(result.exit_code),
        converged=result.converged,
        interrupted=result.interrupted,
        unverified=result.unverified,
    )
    return result


def _execute(run: _Run, planning: ReportCallStats) -> ApplyReport:
    """The plan's steps through the executor; the report before any re-read."""
    ctx, plan = run.ctx, run.plan
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
        reports = _executor(run).run(jobs)
    finally:
        if ctx.refusals is not None:
            ctx.refusals.update(run.performer.lasting, run.performer.attached)
    ctx.progress.close()
    for report in reports:
        report.calls = run.stats.for_campaign(report.name)
    return ApplyReport(
        campaigns=reports,
        totals=snapshot(ctx.provider.stats),
        duration_seconds=ctx.clock() - started,
        floor_seconds=duration_floor(minimum_calls(plan), ctx.tool.rate_limits) / ctx.time_scale,
        interrupted=ctx.stop.is_set(),
        planning=planning,
    )


def _verify(result: ApplyReport, run: _Run) -> None:
    """The final re-read. Stopped (Ctrl-C, SIGTERM) or failed, it costs only the check: the
    writes are done, so the report and the journal's end are still written."""
    try:
        check_convergence(result, run)
    except (KeyboardInterrupt, Interrupted):
        run.ctx.stop.set()
        result.unverified = "the final re-read was interrupted"
    except SyncError as exc:
        result.unverified = f"the final re-read failed: {mask_emails_in(exc.message)}"


def _executor(run: _Run) -> Executor:
    ctx, performer = run.ctx, run.performer

    def read_back(job: CampaignJob) -> None:
        parts = performer.to_read.get(job.name, set())
        if parts and job.campaign_id is not None:
            with run.stats.campaign(_VERIFY_SCOPE):  # counted with the verification
                run.early[job.name] = read_unconfirmed(ctx.provider, job.campaign_id, parts)

    return Executor(
        performer,
        ctx.journal,
        ctx.progress,
        ctx.tool.max_concurrent_campaigns,
        ctx.stop,
        ctx.on_stop_requested,
        scope=run.stats.campaign,
        replan=partial(_replan, run.desired, ctx),
        on_applied=read_back,
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


def check_convergence(result: ApplyReport, run: _Run) -> None:
    """Confirm the campaigns applied in full; what still differs is residual drift, except
    leads Smartlead refused for a stated reason (already in the report)."""
    by_name = {d.state.name: d for d in run.desired}
    performer = run.performer
    applied = [
        Applied(
            by_name[r.name],
            r.campaign_id,
            frozenset(performer.to_read.get(r.name, ())),
            frozenset(performer.refused.get(r.name, ())),
            run.early.get(r.name),
        )
        for r in result.campaigns
        if r.outcome is CampaignOutcome.APPLIED and r.campaign_id is not None and r.name in by_name
    ]
    if not applied:
        return
    provider = run.ctx.provider
    before = snapshot(provider.stats)
    residual = verify_applied(provider, applied, run.plan, run.ctx.tool.lead_batch_size)
    result.reread = to_report(provider.stats, before)
    result.residual_drift = residual
    result.converged = not residual
    _note_residual(result.campaigns, residual)


def _note_residual(reports: Sequence[CampaignReport], residual: Sequence[str]) -> None:
    for report in reports:
        mine = [line for line in residual if line.startswith(f"{report.name}: ")]
        if mine:
            report.notes.append(f"{len(mine)} difference(s) remain after the re-read")
