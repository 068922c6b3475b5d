"""Run campaign jobs: campaigns concurrently in a bounded pool, each campaign's steps in order.

The pool shares one provider, so one rate limiter paces every thread. A failing step stops its
own campaign only; the others go on. Ctrl-C sets `stop`: every campaign finishes the call in
flight, restores a campaign it paused temporarily, and records what it did not do. What a step
does is not known here: a `Performer` carries it out (see `steps.py`); the executor knows only
the roles that change control flow (create, temporary pause, final status, lead batch).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from smartlead_sync.apply.journal import Journal, JournalEvent, JsonValue
from smartlead_sync.apply.progress import Progress
from smartlead_sync.apply.report import CampaignOutcome, CampaignReport, StepRecord
from smartlead_sync.errors import SyncError


class StepRole(str, Enum):
    CREATE = "create"  # yields the new campaign id
    TEMPORARY_PAUSE = "temporary_pause"  # must be undone if a later step fails
    FINAL_STATUS = "final_status"  # undoes a temporary pause
    LEADS = "leads"  # one lead batch; counts towards lead progress
    OTHER = "other"


@dataclass(frozen=True)
class Step:
    """One change to carry out. `payload` is opaque here; the performer knows it."""

    kind: str
    summary: str
    role: StepRole = StepRole.OTHER
    payload: object = None
    leads: int = 0  # leads in this batch, for progress


@dataclass
class CampaignJob:
    name: str
    steps: Sequence[Step]
    source: str | None = None
    campaign_id: int | None = None  # None until a CREATE step yields it
    position: int = 0  # index of the next step to run


@dataclass
class StepResult:
    detail: str | None = None  # e.g. "id 1000123", shown in the report
    created_id: int | None = None
    journal: dict[str, JsonValue] = field(default_factory=dict)  # extra PII-free fields


class Interrupted(Exception):
    """Raised from inside a wait (rate limiter, backoff) when the user asked to stop."""


class InterruptibleSleep:
    """A `sleep` for the client: raises Interrupted once `stop` is set, so a thread waiting for
    a rate-limit slot or a retry gives up without sending. `shielded()` lets one thread finish
    a wait anyway (restarting a campaign it paused)."""

    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop
        self._local = threading.local()

    def __call__(self, seconds: float) -> None:
        if getattr(self._local, "shielded", False):
            time.sleep(max(seconds, 0.0))
        elif self._stop.wait(max(seconds, 0.0)):
            raise Interrupted

    @contextmanager
    def shielded(self) -> Iterator[None]:
        self._local.shielded = True
        try:
            yield
        finally:
            self._local.shielded = False


class Performer(Protocol):
    def perform(self, job: CampaignJob, step: Step, report: CampaignReport) -> StepResult:
        """Carry out `step`; raise SyncError on failure, Interrupted if stopped before sending."""
        ...

    def restore_status(self, job: CampaignJob, report: CampaignReport) -> str:
        """Undo a temporary pause (START the campaign again); returns a summary."""
        ...

    def verify_created(self, jobs: Sequence[CampaignJob]) -> dict[str, str]:
        """Read the new campaigns back; job name -> problem for each that does not match."""
        ...


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

    def run(self, jobs: Sequence[CampaignJob]) -> list[CampaignReport]:
        """Run every job; reports come back in job order. A second Ctrl-C aborts at once.

        Creates go first, for every campaign, then one read-back checks every new id before
        anything else is written to it (a wrong id would send writes to another campaign).
        """
        reports = [CampaignReport(job.name, job.source, job.campaign_id) for job in jobs]
        pairs = list(zip(jobs, reports, strict=True))
        creating = [(j, r) for j, r in pairs if j.steps and j.steps[0].role is StepRole.CREATE]
        if creating:
            self._in_pool(self._create, creating)
            self._verify_created([(j, r) for j, r in creating if _open(r) and j.position == 1])
        self._in_pool(self._run_campaign, pairs)
        return reports

    def _in_pool(
        self,
        work: Callable[[CampaignJob, CampaignReport], None],
        pairs: Sequence[tuple[CampaignJob, CampaignReport]],
    ) -> None:
        if not pairs:
            return
        workers = max(1, min(self.concurrency, len(pairs)))
        pool = ThreadPoolExecutor(workers, thread_name_prefix="apply")
        futures: list[Future[None]] = [pool.submit(self._scoped, work, j, r) for j, r in pairs]
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

    def _scoped(
        self,
        work: Callable[[CampaignJob, CampaignReport], None],
        job: CampaignJob,
        report: CampaignReport,
    ) -> None:
        with self.scope(job.name):
            work(job, report)

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
        if not pairs:
            return
        outcome = CampaignOutcome.FAILED
        try:
            problems = self.performer.verify_created([job for job, _ in pairs])
        except Interrupted:
            # Stopped before the read-back: the new campaigns stay empty until the next run.
            stopped = "stopped before the new campaign was read back"
            problems = {job.name: stopped for job, _ in pairs}
            outcome = CampaignOutcome.INTERRUPTED
        except SyncError as exc:
            problems = {
                job.name: f"could not read the new campaign back: {exc.message}" for job, _ in pairs
            }
        for job, report in pairs:
            if job.name in problems:
                report.outcome = outcome
                report.error = problems[job.name]
                report.not_done.extend(s.summary for s in job.steps[1:])
                self.journal.record(
                    JournalEvent.STEP_FAILED,
                    campaign=job.name,
                    campaign_id=job.campaign_id,
                    change="verify_created",
                    error=problems[job.name],
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
        self._guarded(job, report, job.position, len(job.steps))
        if _open(report):
            report.outcome = CampaignOutcome.APPLIED
        self._finish(job, report)

    def _guarded(self, job: CampaignJob, report: CampaignReport, start: int, end: int) -> None:
        try:
            self._run_steps(job, report, start, end)
        except Exception as exc:  # a bug in one campaign must not hide the others' results
            report.outcome = CampaignOutcome.FAILED
            report.error = f"internal error: {type(exc).__name__}: {exc}"

    def _finish(self, job: CampaignJob, report: CampaignReport) -> None:
        report.campaign_id = job.campaign_id
        self.journal.record(
            JournalEvent.CAMPAIGN_FINISHED,
            campaign=job.name,
            campaign_id=job.campaign_id,
            outcome=report.outcome.value,
        )
        self.progress.campaign_finished(job.name, report.outcome, _finish_note(report))

    def _run_steps(self, job: CampaignJob, report: CampaignReport, start: int, end: int) -> None:
        """Steps `start..end` in order; leaves the outcome open when all of them went well."""
        paused_temporarily = False
        for index in range(start, end):
            step = job.steps[index]
            if self.stop.is_set():
                self._stopped(job, report, index)
                break
            # Marked before the call: a pause that failed ambiguously may still have happened,
            # and a START on a campaign that is still ACTIVE changes nothing.
            if step.role is StepRole.TEMPORARY_PAUSE:
                paused_temporarily = True
            elif step.role is StepRole.FINAL_STATUS:
                paused_temporarily = False  # this step is the restart; do not repeat it
            if not self._run_step(job, step, report):
                if report.outcome is not CampaignOutcome.INTERRUPTED:
                    report.outcome = CampaignOutcome.FAILED
                report.not_done.extend(s.summary for s in job.steps[index + 1 :])
                break
        if paused_temporarily:
            self._restore(job, report)

    def _stopped(self, job: CampaignJob, report: CampaignReport, index: int) -> None:
        report.outcome = CampaignOutcome.INTERRUPTED
        report.not_done.extend(s.summary for s in job.steps[index:])

    def _run_step(self, job: CampaignJob, step: Step, report: CampaignReport) -> bool:
        self.journal.record(
            JournalEvent.STEP_STARTED,
            campaign=job.name,
            campaign_id=job.campaign_id,
            change=step.kind,
            summary=step.summary,
        )
        try:
            result = self.performer.perform(job, step, report)
        except Interrupted:
            self.journal.record(
                JournalEvent.STEP_STOPPED,
                campaign=job.name,
                campaign_id=job.campaign_id,
                change=step.kind,
                summary=step.summary,
            )
            report.outcome = CampaignOutcome.INTERRUPTED
            report.not_done.append(step.summary)
            return False
        except SyncError as exc:
            self._failed(job, step, report, exc)
            return False
        if step.role is StepRole.CREATE:
            job.campaign_id = report.campaign_id = result.created_id
        self.journal.record(
            JournalEvent.STEP_DONE,
            campaign=job.name,
            campaign_id=job.campaign_id,
            change=step.kind,
            summary=step.summary,
            created_id=result.created_id,
            **result.journal,
        )
        report.done.append(StepRecord(step.kind, step.summary, True, result.detail))
        if step.leads:
            self.progress.leads_sent(step.leads)
        self.progress.step_done(job.name, step.summary)
        return True

    def _failed(self, job: CampaignJob, step: Step, report: CampaignReport, exc: SyncError) -> None:
        message = exc.message
        self.journal.record(
            JournalEvent.STEP_FAILED,
            campaign=job.name,
            campaign_id=job.campaign_id,
            change=step.kind,
            summary=step.summary,
            error=message,
        )
        report.done.append(StepRecord(step.kind, step.summary, False, message))
        report.error = f"{step.summary} failed: {message}"
        if step.leads:
            self.progress.leads_sent(step.leads)
        self.progress.step_failed(job.name, step.summary, message)

    def _restore(self, job: CampaignJob, report: CampaignReport) -> None:
        """START a campaign we paused for a sequence save, so a failure does not leave it off."""
        kind = "restore_status"
        self.journal.record(JournalEvent.STEP_STARTED, campaign=job.name, change=kind)
        try:
            summary = self.performer.restore_status(job, report)
        except (SyncError, Interrupted) as exc:
            message = exc.message if isinstance(exc, SyncError) else "interrupted"
            self.journal.record(
                JournalEvent.STEP_FAILED, campaign=job.name, change=kind, error=message
            )
            report.notes.append(
                f"the campaign was paused for the sequence save and could not be restarted "
                f"({message}); run apply again to restart it"
            )
            return
        self.journal.record(JournalEvent.STEP_DONE, campaign=job.name, change=kind)
        report.done.append(StepRecord(kind, summary, True))
        report.notes.append("restarted after its temporary pause, although the apply stopped early")


def _open(report: CampaignReport) -> bool:
    """Still running: no outcome decided yet (NOT_STARTED doubles as "in progress")."""
    return report.outcome is CampaignOutcome.NOT_STARTED


def _finish_note(report: CampaignReport) -> str:
    if report.outcome is CampaignOutcome.FAILED:
        return report.error or ""
    tally = report.leads
    if tally.sent:
        return f"{tally.attached + tally.already_present}/{tally.sent} leads attached"
    return ""
