"""Run campaign jobs: campaigns concurrently in a bounded pool, each campaign's steps in order.

The pool shares one provider, so one rate limiter paces every thread; each campaign's calls are
ranked by its place in the plan, so that when calls of several campaigns wait for the same free
slot the earlier campaign's goes first (the first campaigns reach their lead uploads while later
ones still wait for campaign writes, rather than all advancing in step). A failing step stops its
own campaign only; the others go on. Ctrl-C sets `stop`: every campaign finishes the call in
flight, restores a campaign it paused temporarily, and records what it did not do. What a step
does is not known here: a `Performer` carries it out (see `steps.py`); the executor knows only
the roles that change control flow (create, temporary pause, final status, lead batch).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import partial

from smartlead_sync.apply.jobs import (
    CampaignJob,
    Interrupted,
    Performer,
    Step,
    StepResult,
    StepRole,
)
from smartlead_sync.apply.journal import Journal, JournalEvent
from smartlead_sync.apply.lead_answers import mask_emails_in
from smartlead_sync.apply.progress import Progress
from smartlead_sync.apply.report import CampaignOutcome, CampaignReport
from smartlead_sync.apply.step_runner import StepRunner
from smartlead_sync.errors import SyncError
from smartlead_sync.plan.changes import AddLeadsChange
from smartlead_sync.smartlead.ratelimit_order import ranked


@dataclass
class Executor:
    performer: Performer
    journal: Journal
    progress: Progress
    concurrency: int = 4
    stop: threading.Event = field(default_factory=threading.Event)
    on_stop_requested: Callable[[], None] = lambda: None
    # Entered around a campaign's work in its worker thread (per-campaign call counts).
    scope: Callable[[str], AbstractContextManager[None]] = lambda _name: nullcontext()
    # The steps still to do on a campaign another run created at the same moment (adopted).
    replan: Callable[[CampaignJob], Sequence[Step]] | None = None
    # Called in the worker thread when a campaign was applied in full (its read-back).
    on_applied: Callable[[CampaignJob], None] = lambda _job: None
    _steps: StepRunner = field(init=False, repr=False)
    _rank: dict[int, int] = field(init=False, repr=False, default_factory=dict)  # by id(job)

    def __post_init__(self) -> None:
        self._steps = StepRunner(
            self.performer, self.journal, self.progress, self.stop, self.replan
        )

    def run(self, jobs: Sequence[CampaignJob]) -> list[CampaignReport]:
        """Run every job; reports come back in job order. A second Ctrl-C aborts at once.

        Creates go first, for every campaign, then one read-back checks every new id before
        anything else is written to it (a wrong id would send writes to another campaign).
        """
        reports = [CampaignReport(job.name, job.source, job.campaign_id) for job in jobs]
        if self.replan is not None:
            for job in jobs:
                job.replans_left = 1
        pairs = list(zip(jobs, reports, strict=True))
        self._rank = {id(job): rank for rank, job in enumerate(jobs)}
        creating = [(j, r) for j, r in pairs if j.steps and j.steps[0].role is StepRole.CREATE]
        if creating:
            self._in_pool([self._scoped(self._create, j, r) for j, r in creating])
            created = [(j, r) for j, r in creating if _open(r) and j.position == 1]
            if created:
                self._in_pool([partial(self._verify_created, created)])
        self._in_pool([self._scoped(self._run_campaign, j, r) for j, r in pairs])
        return reports

    def _in_pool(self, tasks: Sequence[Callable[[], None]]) -> None:
        """Run `tasks` on the workers; the main thread only waits, so Ctrl-C lands here."""
        if not tasks:
            return
        pool = ThreadPoolExecutor(min(self.concurrency, len(tasks)), thread_name_prefix="apply")
        futures: list[Future[None]] = [pool.submit(task) for task in tasks]
        try:
            try:
                wait(futures)
            except KeyboardInterrupt:
                self.stop.set()
                self.on_stop_requested()
                wait(futures)
        except KeyboardInterrupt:
            # Second Ctrl-C: give up waiting; each worker still ends after its call in flight.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        for future in futures:
            future.result()  # a bug in the executor itself must not pass silently

    def _scoped(
        self,
        work: Callable[[CampaignJob, CampaignReport], None],
        job: CampaignJob,
        report: CampaignReport,
    ) -> Callable[[], None]:
        def task() -> None:
            with self.scope(job.name), ranked(self._rank[id(job)]):
                work(job, report)

        return task

    def _create(self, job: CampaignJob, report: CampaignReport) -> None:
        if self.stop.is_set():
            return
        self.progress.campaign_started(job.name, len(job.steps))
        self._guarded(job, report, 0, 1)
        if _open(report):
            job.position = 1
        else:
            self._finish(job, report)

    def _verify_created(self, pairs: Sequence[tuple[CampaignJob, CampaignReport]]) -> None:
        outcome = CampaignOutcome.FAILED
        try:
            if self.stop.is_set():
                raise Interrupted
            check = self.performer.verify_created([job for job, _ in pairs])
            problems = check.problems
            self._adopt(pairs, check.adopted)
        except Interrupted:
            # Stopped before the read-back: the new campaigns stay empty until the next run.
            stopped = "stopped before the new campaign was read back"
            problems = {job.name: stopped for job, _ in pairs}
            outcome = CampaignOutcome.INTERRUPTED
        except SyncError as exc:
            message = mask_emails_in(exc.message)
            problems = {
                job.name: f"could not read the new campaign back: {message}" for job, _ in pairs
            }
        for job, report in pairs:
            if job.name in problems:
                self._not_created(job, report, outcome, problems[job.name])

    def _adopt(
        self,
        pairs: Sequence[tuple[CampaignJob, CampaignReport]],
        adopted: Mapping[str, StepResult],
    ) -> None:
        """Go on with the campaigns the read-back found another run had created as well."""
        for job, report in pairs:
            if job.name in adopted:
                self._steps.adopt(job, report, adopted[job.name])
                self.journal.record(
                    JournalEvent.STEP_DONE,
                    campaign=job.name,
                    campaign_id=job.campaign_id,
                    change="adopt_campaign",
                    summary=adopted[job.name].detail or "",
                )

    def _not_created(
        self, job: CampaignJob, report: CampaignReport, outcome: CampaignOutcome, problem: str
    ) -> None:
        """A new campaign the read-back did not confirm: nothing more is written to it."""
        report.outcome = outcome
        report.error = problem
        self.progress.step_failed(job.name, "read back", problem)
        report.not_done.extend(s.summary for s in job.steps[1:])
        self.journal.record(
            JournalEvent.STEP_FAILED,
            campaign=job.name,
            campaign_id=job.campaign_id,
            change="verify_created",
            error=problem,
        )
        self._finish(job, report)

    def _run_campaign(self, job: CampaignJob, report: CampaignReport) -> None:
        if not _open(report):
            return  # finished in the create phase
        if not job.steps:
            report.outcome = CampaignOutcome.UNCHANGED
            return
        if self.stop.is_set():
            if job.position == 0:
                report.not_done = [s.summary for s in job.steps]
                return  # outcome stays NOT_STARTED
        elif job.position == 0:
            self.progress.campaign_started(job.name, len(job.steps))
        if job.stale and not self._steps.replanned(job, report, job.position):
            self._finish(job, report)
            return
        self._guarded(job, report, job.position, None)
        if _open(report):
            report.outcome = CampaignOutcome.APPLIED
            self._read_back(job, report)
        self._finish(job, report)

    def _read_back(self, job: CampaignJob, report: CampaignReport) -> None:
        try:
            self.on_applied(job)
        except Interrupted:
            pass  # the run stops; convergence is not checked
        except SyncError as exc:
            report.notes.append(f"could not read the campaign back: {mask_emails_in(exc.message)}")

    def _guarded(
        self, job: CampaignJob, report: CampaignReport, start: int, end: int | None
    ) -> None:
        try:
            self._steps.run_steps(job, report, start, end)
        except Exception as exc:  # a bug in one campaign must not hide the others' results
            report.outcome = CampaignOutcome.FAILED
            report.error = mask_emails_in(f"internal error: {type(exc).__name__}: {exc}")
            self.progress.step_failed(job.name, "a step", report.error)

    def _finish(self, job: CampaignJob, report: CampaignReport) -> None:
        report.campaign_id = job.campaign_id
        self.journal.record(
            JournalEvent.CAMPAIGN_FINISHED,
            campaign=job.name,
            campaign_id=job.campaign_id,
            outcome=report.outcome.value,
        )
        self.progress.campaign_finished(job.name, report.outcome, finish_note(job, report))


def _open(report: CampaignReport) -> bool:
    """Still running: no outcome decided yet (NOT_STARTED doubles as "in progress")."""
    return report.outcome is CampaignOutcome.NOT_STARTED


def finish_note(job: CampaignJob, report: CampaignReport) -> str:
    """The lead count on a campaign's last progress line: attached of those the plan adds (an
    interrupted run has sent only part of them)."""
    if report.outcome is CampaignOutcome.FAILED:
        return ""  # the failure was printed when it happened
    tally = report.leads
    planned = sum(s.leads for s in job.steps if isinstance(s.payload, AddLeadsChange))
    if tally.sent:
        return f"{tally.attached + tally.already_present}/{max(tally.sent, planned)} leads attached"
    return ""
