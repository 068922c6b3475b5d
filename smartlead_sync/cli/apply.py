"""`smartlead-sync apply`: carry the reviewed plan out against Smartlead.

Order of business: refuse early when nothing approves the run, load the files, re-read
Smartlead and rebuild the plan, refuse a stale saved plan (exit 4), show the plan and refuse
what a safety rule blocks (exit 3), ask on a terminal, execute, re-read, report.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from smartlead_sync.apply.jobs import InterruptibleSleep
from smartlead_sync.apply.lock import project_lock
from smartlead_sync.cli.account import (
    EMULATOR_TIME_SCALE,
    account_of,
    live_plan,
    open_provider,
)
from smartlead_sync.cli.apply_execution import RunControls, execute, finish, no_changes
from smartlead_sync.cli.apply_review import Reading, StaleSavedPlan, refuse_stale
from smartlead_sync.cli.connection import ConnectionOptions, connection_options, suggested_command
from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.cli.files import output_option, read_plan_file
from smartlead_sync.cli.memory import long_lived
from smartlead_sync.cli.options import (
    campaign_filter,
    format_option,
    load_selected,
    project_path,
    retry_refused_option,
)
from smartlead_sync.cli.output import Console
from smartlead_sync.cli.selection import narrow_to_live_ids
from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.errors import ConfigError, SafetyError, SyncError
from smartlead_sync.localstate import APPLY_JOURNAL, STATE_DIR_NAME, state_file
from smartlead_sync.plan.plan_model import SavedPlan, ShownPlan
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.plan.refusals import RefusalRecord, Refusals
from smartlead_sync.plan.safety import safety_violations
from smartlead_sync.render.rows import summary_line
from smartlead_sync.render.text import render_text
from smartlead_sync.smartlead.provider import SmartleadProvider

DEFAULT_LOCK_TIMEOUT = 600.0


@click.command("apply")
@project_path
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Apply this reviewed plan; refused (exit 4) if what it would do changed since.",
)
@click.option("--auto-approve", is_flag=True, help="Plan and apply without asking.")
@click.option(
    "--allow-destroy",
    is_flag=True,
    help="Allow stopping or deleting campaigns (the file must opt in too), pruning leads and "
    "changing many campaigns or leads at once.",
)
@campaign_filter("Apply")
@retry_refused_option
@format_option("text json", "Report format on stdout.", dest="output_format")
@output_option("--report", "report_file", help="Also write the report as JSON to this file.")
@output_option(
    "--journal",
    "journal_file",
    help="Append a JSON line per step here (no key, no lead data beyond masked emails) "
    f"[default: {STATE_DIR_NAME}/{APPLY_JOURNAL} beside the project file].",
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0.0),
    default=DEFAULT_LOCK_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another apply of this project on this machine to finish.",
)
@connection_options
@pass_cli
def apply_command(
    run: CliContext,
    path: Path,
    *,
    plan_file: Path | None,
    auto_approve: bool,
    allow_destroy: bool,
    campaigns: tuple[str, ...],
    retry_refused: bool,
    output_format: str,
    report_file: Path | None,
    journal_file: Path | None,
    lock_timeout: float,
    connection: ConnectionOptions,
) -> int:
    """Apply the changes a plan shows, in a safe order under the rate limits.

    Without --plan or --auto-approve, apply shows the plan and asks on a terminal, and
    refuses elsewhere. A failed or interrupted apply is finished by running it again. PATH is
    the project directory (default: campaigns/) or one campaign file; left out, the project
    is looked for in the current directory and its parents. A second apply of the
    same project on this machine waits for the first (--lock-timeout), then re-reads Smartlead.

    \b
    Exit codes: 0 applied or nothing to do; 1 error, failed or interrupted
                campaign, writes done but the final re-read stopped or failed
                (not verified), or cancelled at the prompt; 3 blocked by a safety rule;
                4 the --plan file is stale (3 and 4: nothing was written).
    """
    replan = suggested_command("plan", path, connection, "--out", "plan.json")
    interactive = _needs_prompt(plan_file, auto_approve, replan)
    saved = read_plan_file(plan_file) if plan_file is not None else None
    if saved is not None and not saved.has_changes:
        _show_plan(run.stdout, saved, True, output_format)
        return no_changes(output_format, report_file)
    request = _Request(
        path, campaigns, saved, replan, interactive, allow_destroy, retry_refused, lock_timeout,
        output_format, report_file, journal_file, connection,
    )  # fmt: skip
    return _plan_and_apply(run, request)


@dataclass(frozen=True)
class _Request:
    """What the command line asks of this apply (`replan`: the plan command a hint suggests)."""

    path: Path
    campaigns: tuple[str, ...]
    saved: SavedPlan | None
    replan: str
    interactive: bool
    allow_destroy: bool
    retry_refused: bool
    lock_timeout: float
    output_format: str
    report_file: Path | None
    journal_file: Path | None
    connection: ConnectionOptions


def _plan_and_apply(run: CliContext, request: _Request) -> int:
    """Plan again under the project lock, refuse what must not run, ask, execute, report."""
    connection = request.connection
    reading = Reading.of(request.saved, request.campaigns)
    project, wanted = load_selected(request.path, reading.campaigns, run.stderr)
    stop = threading.Event()
    sleep = InterruptibleSleep(stop)
    with (
        project_lock(project.root, timeout=request.lock_timeout, notify=_note(run.stderr)),
        open_provider(
            connection, project.tool, project_root=project.root, sleep=sleep, notices=run.stderr
        ) as provider,
    ):
        # Checked before anything is read: a linked journal is refused up front.
        journal = request.journal_file or state_file(project.root, APPLY_JOURNAL)
        if wanted:
            project = narrow_to_live_ids(project, wanted, provider.list_campaigns())
        record = RefusalRecord(project.root, account_of(connection))
        refused = None if request.retry_refused else record.load()
        plan = live_plan(run, provider, project, refused=refused, touched=reading.touched)
        _check(run, request, plan, provider=provider, reading=reading, refused=refused)
        if not plan.has_changes:
            return no_changes(request.output_format, request.report_file)
        if request.interactive and not _confirmed():
            raise SyncError("apply cancelled; nothing was changed")
        scale = EMULATOR_TIME_SCALE if connection.emulator else connection.time_scale
        controls = RunControls(stop, sleep, scale, record)
        report = execute(
            plan,
            project,
            provider,
            controls,
            journal,
            run.stderr,
            journal_in_state=request.journal_file is None,
        )
    return finish(report, request.output_format, request.report_file, run.stdout)


def _check(
    run: CliContext,
    request: _Request,
    plan: Plan,
    *,
    provider: SmartleadProvider,
    reading: Reading,
    refused: Refusals | None,
) -> None:
    """Refuse a stale saved plan (exit 4), show the plan, refuse what a safety rule blocks
    (exit 3)."""
    try:
        refuse_stale(request.saved, plan, request.replan)
    except StaleSavedPlan as stale:
        if reading.touched is None:
            raise
        # What was read covers only the reviewed changes: the plan shown for the next
        # review reads everything, as `plan` would.
        everything, _ = load_selected(request.path, request.campaigns, run.stderr)
        raise StaleSavedPlan(
            stale.message,
            hint=stale.hint or "",
            saved=stale.saved,
            rebuilt=_full_plan(provider, everything, refused),
        ) from None
    _show_plan(run.stdout, plan, request.saved is not None, request.output_format)
    _refuse_blocked(plan, request.allow_destroy)


def _full_plan(
    provider: SmartleadProvider, project: DesiredProject, refused: Refusals | None
) -> Plan:
    with long_lived():
        return make_plan(provider, project.campaigns, project.tool, refused=refused)


def _note(console: Console) -> Callable[[str], None]:
    return lambda text: console.print(f"note: {text}")


def _needs_prompt(plan_file: Path | None, auto_approve: bool, replan: str) -> bool:
    """True when apply must ask; refuses early (before any call) when it cannot ask."""
    if plan_file is not None and auto_approve:
        raise click.UsageError("use either --plan or --auto-approve, not both")
    interactive = plan_file is None and not auto_approve
    # The question goes to stderr and the answer comes from stdin; stdout may be piped (| tee).
    if interactive and not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise ConfigError(
            "apply needs an approved plan when not run at a terminal",
            hint=f"pass --plan plan.json to apply a plan you reviewed (made with {replan}), "
            "or --auto-approve to plan and apply in one go",
        )
    return interactive


def _show_plan(out: Console, plan: ShownPlan, from_file: bool, output_format: str) -> None:
    if output_format == "json":
        return  # stdout carries the JSON report only
    if from_file:
        short = plan.fingerprint.removeprefix("sha256:")[:12]
        out.print(f"Applying the reviewed plan {short}: {summary_line(plan)}")
    else:
        out.print(render_text(plan, color=out.color).rstrip("\n"))


def _refuse_blocked(plan: Plan, allow_destroy: bool) -> None:
    violations = safety_violations(plan, allow_destroy=allow_destroy)
    if violations:
        lines = "\n".join(f"  ! {v.render()}" for v in violations)
        raise SafetyError(f"apply refused by a safety rule; nothing was changed:\n{lines}")


def _confirmed() -> bool:
    click.echo("\nDo you want to apply these changes? Only 'yes' will be accepted.", err=True)
    try:
        answer: str = click.prompt("  Enter a value", default="", show_default=False, err=True)
    except click.Abort:  # Ctrl-C or end of input at the prompt: a "no"
        click.echo(err=True)
        return False
    return answer.strip() == "yes"


COMMANDS: list[click.Command] = [apply_command]
