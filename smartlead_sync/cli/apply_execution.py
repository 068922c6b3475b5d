"""`apply` once the plan is approved: Ctrl-C and SIGTERM, progress on stderr, the journal, and
the report on stdout (text or JSON) and in a file."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import click

from smartlead_sync.apply.batchcap import BatchCap, load_cap, save_cap
from smartlead_sync.apply.jobs import InterruptibleSleep
from smartlead_sync.apply.journal import Journal, find_unfinished_run
from smartlead_sync.apply.progress import Progress
from smartlead_sync.apply.report import ApplyReport
from smartlead_sync.apply.report_text import Style, render_report_text
from smartlead_sync.apply.run import ApplyContext, apply_plan
from smartlead_sync.cli.files import write_output
from smartlead_sync.cli.output import Console
from smartlead_sync.desired import DesiredProject
from smartlead_sync.errors import ExitCode
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.refusals import RefusalRecord
from smartlead_sync.redaction import redact
from smartlead_sync.smartlead.provider import SmartleadProvider


@dataclass(frozen=True)
class RunControls:
    """How the CLI steers an apply: Ctrl-C sets `stop`, which the client's `sleep` obeys
    except where it is shielded (a campaign being restarted); `scale` compresses the limits
    of an emulator; lasting refusals are remembered in `refusals`."""

    stop: threading.Event
    sleep: InterruptibleSleep
    scale: float
    refusals: RefusalRecord


def execute(  # noqa: PLR0917
    plan: Plan,
    project: DesiredProject,
    provider: SmartleadProvider,
    controls: RunControls,
    journal_file: Path,
    stderr: Console,
    *,
    journal_in_state: bool = False,
) -> ApplyReport:
    """Apply `plan` with progress on stderr and the journal in `journal_file` (a file of the
    local state folder when `journal_in_state`: never written through a link)."""
    progress = _progress(plan)
    batch_cap = _batch_cap(provider, project, stderr)
    journal = Journal.open(journal_file, local_state=journal_in_state)
    _mention_unfinished(journal_file, journal, stderr)
    ctx = ApplyContext(
        provider,
        project.tool,
        journal=journal,
        progress=progress,
        stop=controls.stop,
        shield=controls.sleep.shielded,
        on_stop_requested=lambda: stderr.print(
            "stopping: finishing the calls in flight (Ctrl-C again to stop waiting)"
        ),
        time_scale=controls.scale,
        batch_cap=batch_cap,
        refusals=controls.refusals,
    )
    try:
        with _sigterm_as_interrupt():
            report = apply_plan(plan, project.campaigns, ctx)
    finally:
        journal.close()
    report.journal = str(journal_file)
    return report


def _batch_cap(provider: SmartleadProvider, project: DesiredProject, stderr: Console) -> BatchCap:
    """The configured lead batch size, or the smaller cap the account taught an earlier run."""
    base_url = provider.client.base_url
    learned = load_cap(project.root, base_url)
    size = project.tool.lead_batch_size
    start = min(size, learned) if learned is not None else size

    def remember(cap: int) -> None:
        save_cap(project.root, base_url, cap)
        stderr.print(
            f"note: Smartlead refused a larger lead batch; sending at most {cap} leads per call "
            "from now on (remembered for the next runs)"
        )

    return BatchCap(start, on_learned=remember)


def no_changes(output_format: str, report_file: Path | None) -> int:
    report = ApplyReport(converged=True)
    if report_file is not None:
        _write_report(report, report_file)
    if output_format == "json":
        click.echo(json.dumps(report.to_json(), indent=2))
    return int(ExitCode.OK)  # the plan shown above already says "No changes"


def _mention_unfinished(path: Path, journal: Journal, console: Console) -> None:
    unfinished = find_unfinished_run(path)
    if unfinished is None or unfinished.run == journal.run_id:
        return
    last = f"; its last completed step: {unfinished.last_step}" if unfinished.last_step else ""
    console.print(
        f"note: the apply started {unfinished.started} did not finish{last}. "
        "This run re-read Smartlead, so the plan above is what is still missing."
    )


def _progress(plan: Plan) -> Progress:
    counts = plan.counts
    total_leads = counts.leads_add + counts.leads_update + counts.leads_remove

    def sink(text: str) -> None:
        sys.stderr.write(redact(text))
        sys.stderr.flush()

    changed = sum(1 for c in plan.campaigns if c.changes)
    return Progress(
        sink, live=sys.stderr.isatty(), total_campaigns=changed, total_leads=total_leads
    )


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """A CI timeout sends SIGTERM first: stop as cleanly as on Ctrl-C."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def finish(report: ApplyReport, output_format: str, report_file: Path | None, out: Console) -> int:
    """The report on `out` (stdout), then in `report_file`; the exit code it says."""
    # Shown before the file is written: if writing fails, the user still sees what happened.
    if output_format == "json":
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        out.print(render_report_text(report, _styler(out)))
    if report_file is not None:
        _write_report(report, report_file)
    return int(report.exit_code)


def _styler(console: Console) -> Style:
    return lambda text, colour: console.style(text, fg=colour)


def _write_report(report: ApplyReport, report_file: Path) -> None:
    write_output(report_file, redact(json.dumps(report.to_json(), indent=2)) + "\n")
