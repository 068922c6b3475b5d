"""The executor with a recording performer (a real object, no mocks of our classes)."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from smartlead_sync.apply.executor import Executor, finish_note
from smartlead_sync.apply.jobs import (
    CampaignJob,
    CreatedCheck,
    Interrupted,
    InterruptibleSleep,
    Step,
    StepResult,
    StepRole,
)
from smartlead_sync.apply.journal import Journal, JournalEvent, read_journal
from smartlead_sync.apply.progress import Progress
from smartlead_sync.apply.report import CampaignOutcome, CampaignReport
from smartlead_sync.errors import SyncError
from smartlead_sync.plan.changes import AddLeadsChange
from smartlead_sync.plan.payloads import LeadBatch
from smartlead_sync.state import Lead, LeadPolicy


class RecordingPerformer:
    """Performs nothing remote: records calls, fails or stops where told."""

    def __init__(self, executor_stop: threading.Event | None = None) -> None:
        self.calls: list[tuple[str, str, int | None]] = []
        self.fail_on: set[tuple[str, str]] = set()
        self.stop_on: tuple[str, str] | None = None
        self.stop = executor_stop
        self.delay = 0.0
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0
        self.next_id = 1000
        self.wrong_id: set[str] = set()
        self.verify_error: SyncError | None = None
        self.failure_text = ""

    def perform(self, job: CampaignJob, step: Step, report: CampaignReport) -> StepResult:
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
            self.calls.append((job.name, step.kind, job.campaign_id))
        try:
            time.sleep(self.delay)
            if (job.name, step.kind) == self.stop_on and self.stop is not None:
                self.stop.set()
            if (job.name, step.kind) in self.fail_on:
                raise SyncError(self.failure_text or f"{step.kind} refused")
            if step.kind == "boom":
                raise ZeroDivisionError("bug")
            if step.kind == "interrupt":
                raise Interrupted
            if step.role is StepRole.CREATE:
                with self.lock:
                    self.next_id += 1
                    return StepResult(detail=f"id {self.next_id}", created_id=self.next_id)
            return StepResult(journal={"count": 1})
        finally:
            with self.lock:
                self.active -= 1

    def restore_status(self, job: CampaignJob, report: CampaignReport) -> str:
        self.calls.append((job.name, "restore", job.campaign_id))
        return "restart campaign"

    def verify_created(self, jobs: Sequence[CampaignJob]) -> CreatedCheck:
        self.calls.append(("*", "verify", len(jobs)))
        if self.verify_error is not None:
            raise self.verify_error
        return CreatedCheck(
            {j.name: "read back as another campaign" for j in jobs if j.name in self.wrong_id}
        )


def _job(name: str, *kinds: str, campaign_id: int | None = None) -> CampaignJob:
    roles = {
        "create": StepRole.CREATE,
        "pause": StepRole.TEMPORARY_PAUSE,
        "status": StepRole.FINAL_STATUS,
        "leads": StepRole.LEADS,
    }
    steps = [Step(k, f"{k} step", roles.get(k, StepRole.OTHER)) for k in kinds]
    return CampaignJob(name, steps, source=f"{name}.yaml", campaign_id=campaign_id)


def _executor(
    performer: RecordingPerformer,
    journal_path: Path,
    concurrency: int = 4,
    on_stop_requested: Callable[[], None] = lambda: None,
) -> Executor:
    journal = Journal.open(journal_path, run_id="t")
    executor = Executor(
        performer, journal, Progress.silent(), concurrency, on_stop_requested=on_stop_requested
    )
    performer.stop = executor.stop
    return executor


def test_steps_run_in_order_and_the_created_id_flows_to_later_steps(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    executor = _executor(performer, tmp_path / "j.jsonl")
    [report] = executor.run([_job("Q3", "create", "settings", "sequence", "leads", "status")])

    kinds = [c[1] for c in performer.calls]
    assert kinds == ["create", "verify", "settings", "sequence", "leads", "status"]
    assert [c[2] for c in performer.calls if c[0] == "Q3"] == [None, 1001, 1001, 1001, 1001]
    assert report.outcome is CampaignOutcome.APPLIED
    assert report.campaign_id == 1001
    assert [s.detail for s in report.done][:1] == ["id 1001"]
    entries = list(read_journal(tmp_path / "j.jsonl"))
    done = [e for e in entries if e.event is JournalEvent.STEP_DONE]
    assert done[0].get("created_id") == 1001
    assert done[1].get("count") == 1
    assert entries[-1].event is JournalEvent.CAMPAIGN_FINISHED
    assert entries[-1].get("outcome") == "applied"


def test_a_failure_stops_only_its_campaign(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    performer.fail_on = {("A", "sequence")}
    executor = _executor(performer, tmp_path / "j.jsonl", concurrency=2)
    a, b = executor.run(
        [_job("A", "settings", "sequence", "mailboxes"), _job("B", "settings", "sequence")]
    )
    assert a.outcome is CampaignOutcome.FAILED
    assert a.error == "sequence step failed: sequence refused"
    assert a.not_done == ["mailboxes step"]
    assert [(s.kind, s.ok) for s in a.done] == [("settings", True), ("sequence", False)]
    assert b.outcome is CampaignOutcome.APPLIED
    assert ("A", "mailboxes", None) not in performer.calls
    failed = [e for e in read_journal(tmp_path / "j.jsonl") if e.event is JournalEvent.STEP_FAILED]
    assert [e.get("error") for e in failed] == ["sequence refused"]


def test_a_temporary_pause_is_undone_when_a_later_step_fails(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    performer.fail_on = {("A", "mailboxes")}
    [report] = _executor(performer, tmp_path / "j.jsonl").run(
        [_job("A", "pause", "sequence", "mailboxes", "status", campaign_id=7)]
    )
    assert performer.calls[-1] == ("A", "restore", 7)
    assert report.outcome is CampaignOutcome.FAILED
    assert report.done[-1].kind == "restore_status"
    assert any("restarted" in note for note in report.notes)


def test_no_restore_when_the_final_status_itself_fails_or_all_went_well(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    performer.fail_on = {("A", "status")}
    _executor(performer, tmp_path / "j.jsonl").run(
        [_job("A", "pause", "sequence", "status", campaign_id=7), _job("B", "pause", "status")]
    )
    assert all(kind != "restore" for _, kind, _ in performer.calls)


def test_stop_finishes_the_call_in_flight_restores_and_skips_the_rest(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    performer.stop_on = ("A", "sequence")
    executor = _executor(performer, tmp_path / "j.jsonl", concurrency=1)
    a, b = executor.run([_job("A", "pause", "sequence", "leads", "status"), _job("B", "settings")])
    assert a.outcome is CampaignOutcome.INTERRUPTED
    assert [s.kind for s in a.done] == ["pause", "sequence", "restore_status"]
    assert a.not_done == ["leads step", "status step"]
    assert b.outcome is CampaignOutcome.NOT_STARTED
    assert b.not_done == ["settings step"]


def test_interrupted_inside_a_wait_counts_as_not_done(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    [report] = _executor(performer, tmp_path / "j.jsonl").run([_job("A", "interrupt", "x")])
    assert report.outcome is CampaignOutcome.INTERRUPTED
    assert report.not_done == ["interrupt step", "x step"]
    events = [e.event for e in read_journal(tmp_path / "j.jsonl")]
    assert JournalEvent.STEP_STOPPED in events


def test_a_bug_in_one_campaign_is_reported_and_others_finish(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    a, b = _executor(performer, tmp_path / "j.jsonl").run([_job("A", "boom"), _job("B", "x")])
    assert a.outcome is CampaignOutcome.FAILED
    assert a.error == "internal error: ZeroDivisionError: bug"
    assert b.outcome is CampaignOutcome.APPLIED


def test_campaigns_run_concurrently_but_within_the_bound(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    performer.delay = 0.02
    jobs = [_job(f"C{i}", "a", "b") for i in range(8)]
    reports = _executor(performer, tmp_path / "j.jsonl", concurrency=3).run(jobs)
    assert performer.peak == 3
    assert all(r.outcome is CampaignOutcome.APPLIED for r in reports)
    for i in range(8):  # within a campaign, strictly in order
        mine = [k for n, k, _ in performer.calls if n == f"C{i}"]
        assert mine == ["a", "b"]


def test_an_empty_job_is_unchanged_and_makes_no_call(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    [report] = _executor(performer, tmp_path / "j.jsonl").run([_job("A")])
    assert report.outcome is CampaignOutcome.UNCHANGED
    assert performer.calls == []


def test_ctrl_c_in_the_main_thread_stops_cleanly(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    performer.delay = 0.05
    said: list[str] = []
    executor = _executor(
        performer, tmp_path / "j.jsonl", concurrency=1, on_stop_requested=lambda: said.append("x")
    )

    def interrupt_soon() -> None:
        time.sleep(0.08)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt_soon).start()
    reports = executor.run([_job("A", "a", "b", "c", "d", "e"), _job("B", "a")])
    assert said == ["x"]
    assert reports[0].outcome is CampaignOutcome.INTERRUPTED
    assert 1 <= len(reports[0].done) < 5
    assert reports[1].outcome is CampaignOutcome.NOT_STARTED
    lines = (tmp_path / "j.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line) for line in lines)


def test_interruptible_sleep_raises_once_stopped_unless_shielded() -> None:
    stop = threading.Event()
    sleep = InterruptibleSleep(stop)
    sleep(0.001)
    stop.set()
    with pytest.raises(Interrupted):
        sleep(5)
    with sleep.shielded():
        sleep(0.001)


def test_every_create_is_read_back_once_before_any_other_write(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    performer.wrong_id = {"B"}
    jobs = [
        _job("A", "create", "settings"),
        _job("B", "create", "settings"),
        _job("C", "settings", campaign_id=5),
    ]
    a, b, c = _executor(performer, tmp_path / "j.jsonl", concurrency=1).run(jobs)
    kinds = [(n, k) for n, k, _ in performer.calls]
    assert kinds[:3] == [("A", "create"), ("B", "create"), ("*", "verify")]
    assert performer.calls[2] == ("*", "verify", 2)
    assert ("B", "settings") not in kinds
    assert (a.outcome, b.outcome, c.outcome) == (
        CampaignOutcome.APPLIED,
        CampaignOutcome.FAILED,
        CampaignOutcome.APPLIED,
    )
    assert b.error == "read back as another campaign"
    assert b.not_done == ["settings step"]
    assert b.campaign_id == 1002  # the report still names the id that was created


def test_a_failed_read_back_fails_every_new_campaign(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    performer.verify_error = SyncError("server error (500)")
    a, c = _executor(performer, tmp_path / "j.jsonl").run(
        [_job("A", "create", "settings"), _job("C", "settings", campaign_id=5)]
    )
    assert a.outcome is CampaignOutcome.FAILED
    assert a.error == "could not read the new campaign back: server error (500)"
    assert c.outcome is CampaignOutcome.APPLIED


def test_a_failed_create_is_not_read_back(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    performer.fail_on = {("A", "create")}
    [a] = _executor(performer, tmp_path / "j.jsonl").run([_job("A", "create", "settings")])
    assert a.outcome is CampaignOutcome.FAILED
    assert a.not_done == ["settings step"]
    assert all(kind != "verify" for _, kind, _ in performer.calls)


def test_emails_in_a_failure_message_are_masked_in_report_and_journal(tmp_path: Path) -> None:
    performer = RecordingPerformer()
    performer.fail_on = {("A", "leads")}
    performer.failure_text = "lead pat.doe@acme.example refused"
    [report] = _executor(performer, tmp_path / "j.jsonl").run([_job("A", "leads")])
    assert report.error == "leads step failed: lead p***@acme.example refused"
    assert "pat.doe" not in (tmp_path / "j.jsonl").read_text(encoding="utf-8")


def test_an_interrupted_campaign_counts_its_leads_against_all_the_plan_adds() -> None:
    def batch(number: int) -> Step:
        leads = tuple(Lead(f"p{number}-{i}@example.com") for i in range(10))
        change = AddLeadsChange(LeadBatch(leads, LeadPolicy(), number, 3))
        return Step("add_leads", f"batch {number}", StepRole.LEADS, change, len(leads))

    job = CampaignJob("Big", [batch(1), batch(2), batch(3)], campaign_id=7)
    report = CampaignReport("Big", campaign_id=7, outcome=CampaignOutcome.INTERRUPTED)
    report.leads.sent = report.leads.attached = 10
    assert finish_note(job, report) == "10/30 leads attached"
    report.outcome = CampaignOutcome.APPLIED
    report.leads.sent, report.leads.attached = 30, 29
    assert finish_note(job, report) == "29/30 leads attached"
