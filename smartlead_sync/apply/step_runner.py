"""One campaign's steps, in order: each journalled, a failure stopping the campaign (not the
run), a temporary pause undone however the steps end, and an adopted campaign planned again
when a step fails on it. `executor.py` runs many campaigns at once through this."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from smartlead_sync.apply.jobs import (
    CampaignJob,
    Interrupted,
    Performer,
    Step,
    StepResult,
    StepRole,
)
from smartlead_sync.apply.journal import Journal, JournalEvent, JsonValue
from smartlead_sync.apply.lead_answers import mask_emails_in
from smartlead_sync.apply.progress import Progress
from smartlead_sync.apply.report import CampaignOutcome, CampaignReport, StepRecord
from smartlead_sync.errors import SyncError
from smartlead_sync.smartlead.api_errors import RequestRejected

MAX_ADOPTED_REPLANS = 3  # failed steps on an adopted campaign that may each re-plan the rest


@dataclass(frozen=True)
class StepRunner:
    """Runs the steps of one campaign at a time; shared by every worker thread."""

    performer: Performer
    journal: Journal
    progress: Progress
    stop: threading.Event
    # The steps still to do on a campaign another run created at the same moment (adopted).
    replan: Callable[[CampaignJob], Sequence[Step]] | None = None

    def run_steps(
        self, job: CampaignJob, report: CampaignReport, start: int, end: int | None
    ) -> None:
        """Steps `start..end` (None: to the last) in order; leaves the outcome open when all of
        them went well. On an adopted campaign a failed step re-plans the rest (a few times):
        the run that created it may be writing the same things."""
        paused_temporarily = False
        index = start
        while index < (len(job.steps) if end is None else end):
            step = job.steps[index]
            if self.stop.is_set():
                self._stopped(job, report, index)
                break
            index += 1
            # Marked before the call: a pause that failed ambiguously may still have happened,
            # and a START on a campaign that is still ACTIVE changes nothing.
            if step.role is StepRole.TEMPORARY_PAUSE:
                paused_temporarily = True
            elif step.role is StepRole.FINAL_STATUS:
                paused_temporarily = False  # this step is the restart; do not repeat it
            done = self._run_step(job, step, report)
            if done is None:
                if self.replanned(job, report, index):
                    continue
                break  # the failure to plan again is recorded
            if not done:
                if report.outcome is not CampaignOutcome.INTERRUPTED:
                    report.outcome = CampaignOutcome.FAILED
                report.not_done.extend(s.summary for s in job.steps[index:])
                break
        if paused_temporarily:
            self._restore(job, report)

    def _stopped(self, job: CampaignJob, report: CampaignReport, index: int) -> None:
        report.outcome = CampaignOutcome.INTERRUPTED
        report.not_done.extend(s.summary for s in job.steps[index:])

    def replanned(self, job: CampaignJob, report: CampaignReport, done: int) -> bool:
        """Replace the steps after the first `done` with a fresh plan of the adopted campaign."""
        try:
            if self.replan is None:
                raise SyncError("no planner was given to this run")
            job.steps = [*job.steps[:done], *self.replan(job)]
        except SyncError as exc:
            report.outcome = CampaignOutcome.FAILED
            report.error = f"could not plan the adopted campaign again: {exc.message}"
            report.not_done.extend(s.summary for s in job.steps[done:])
            self.progress.step_failed(job.name, "plan again", report.error)
            return False
        job.stale = False
        return True

    def _journal_step(
        self, event: JournalEvent, job: CampaignJob, step: Step, **fields: JsonValue
    ) -> None:
        self.journal.record(
            event,
            campaign=job.name,
            campaign_id=job.campaign_id,
            change=step.kind,
            summary=step.summary,
            **fields,
        )

    def _run_step(self, job: CampaignJob, step: Step, report: CampaignReport) -> bool | None:
        """True when done, False when failed, None when failed on an adopted campaign that may
        be planned again."""
        self._journal_step(JournalEvent.STEP_STARTED, job, step)
        try:
            result = self.performer.perform(job, step, report)
        except Interrupted:
            self._journal_step(JournalEvent.STEP_STOPPED, job, step)
            report.outcome = CampaignOutcome.INTERRUPTED
            report.not_done.append(step.summary)
            return False
        except SyncError as exc:
            # Smartlead refusing a write (400) may mean another run moved the campaign since
            # it was planned (e.g. started it): plan the rest again once. On a campaign that
            # other run is still configuring, any failure may be a collision.
            if job.replans_left > 0 and (job.adopted or isinstance(exc, RequestRejected)):
                job.replans_left -= 1
                message = mask_emails_in(exc.message)
                self._journal_step(JournalEvent.STEP_FAILED, job, step, error=message)
                report.notes.append(f"{step.summary}: {message}; planned again")
                return None
            self._failed(job, step, report, exc)
            return False
        if step.role is StepRole.CREATE:
            job.campaign_id = report.campaign_id = result.created_id
            if result.adopted:
                self.adopt(job, report, result)
        self._journal_step(
            JournalEvent.STEP_DONE, job, step, created_id=result.created_id, **result.journal
        )
        report.done.append(StepRecord(step.kind, step.summary, True, result.detail))
        if step.leads:
            self.progress.leads_sent(step.leads)
        self.progress.step_done(job.name, step.summary)
        return True

    def adopt(self, job: CampaignJob, report: CampaignReport, result: StepResult) -> None:
        """Go on with the campaign another run created: its remaining steps are planned again."""
        job.campaign_id = report.campaign_id = result.created_id
        job.adopted = job.stale = True
        job.replans_left = MAX_ADOPTED_REPLANS
        report.notes.append(f"another run created this campaign too: {result.detail}")

    def _failed(self, job: CampaignJob, step: Step, report: CampaignReport, exc: SyncError) -> None:
        message = mask_emails_in(exc.message)
        self._journal_step(JournalEvent.STEP_FAILED, job, step, error=message)
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
            message = mask_emails_in(exc.message) if isinstance(exc, SyncError) else "interrupted"
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
