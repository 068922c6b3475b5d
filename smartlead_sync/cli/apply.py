"""`smartlead-sync apply`: carry the reviewed plan out against Smartlead.

Order of business: refuse early when nothing approves the run, load the files, re-read
Smartlead and rebuild the plan, refuse a stale saved plan (exit 4), show the plan and refuse
what a safety rule blocks (exit 3), ask on a terminal, execute, re-read, report.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

import click

from smartlead_sync.apply.jobs import InterruptibleSleep
from smartlead_sync.apply.lock import project_lock
from smartlead_sync.cli.apply_execution import execute, finish, no_changes, run_context
from smartlead_sync.cli.connection import (
    EMULATOR_TIME_SCALE,
    ConnectionOptions,
    account_of,
    connection_options,
    open_provider,
    suggested_command,
)
from smartlead_sync.cli.files import output_option, read_plan_file
from smartlead_sync.cli.memory import long_lived
from smartlead_sync.cli.options import campaign_filter, project_path, retry_refused_option
from smartlead_sync.cli.output import Console
from smartlead_sync.cli.plan import load_selected, progress_printer
from smartlead_sync.cli.selection import narrow_to_live_ids
from smartlead_sync.errors import ConfigError, SafetyError, StalePlanError, SyncError
from smartlead_sync.estimate import touched_parts
from smartlead_sync.fingerprint import staleness
from smartlead_sync.localstate import APPLY_JOURNAL, STATE_DIR_NAME, state_file
from smartlead_sync.plan import Plan
from smartlead_sync.planning import make_plan
from smartlead_sync.refusals import RefusalRecord
from smartlead_sync.render.rows import summary_line
from smartlead_sync.render.since_review import since_review
from smartlead_sync.render.text import render_text
from smartlead_sync.safety import safety_violations

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
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format on stdout.",
)
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
def apply_command(
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
    stderr = Console.for_stderr()
    replan = suggested_command("plan", path, connection, "--out", "plan.json")
    interactive = _needs_prompt(plan_file, auto_approve, replan)
    saved = read_plan_file(plan_file) if plan_file is not None else None
    touched = None
    requested = campaigns
    if saved is not None:
        if not saved.has_changes:
            _show_plan(saved, True, output_format)
            return no_changes(output_format, report_file)
        # Only what the reviewed plan changes is read and checked again.
        reviewed = [c for c in saved.campaigns if c.changes and c.name in (campaigns or [c.name])]
        campaigns = tuple(c.name for c in reviewed)
        touched = {c.name: touched_parts(c) for c in reviewed}
    project, wanted = load_selected(path, campaigns, stderr)
    stop = threading.Event()
    sleep = InterruptibleSleep(stop)
    with (
        project_lock(project.root, timeout=lock_timeout, notify=_note(stderr)),
        open_provider(connection, project.tool, project_root=project.root, sleep=sleep) as provider,
    ):
        if wanted:
            project = narrow_to_live_ids(project, wanted, provider.list_campaigns())
        record = RefusalRecord(project.root, account_of(connection))
        refused = None if retry_refused else record.load()
        with long_lived():  # the live state read lasts as long as the command
            plan = make_plan(
                provider,
                project.campaigns,
                project.tool,
                progress=progress_printer(stderr),
                refused=refused,
                touched=touched,
            )
        try:
            _refuse_stale(saved, plan, replan)
        except StaleSavedPlan as stale:
            if touched is None:
                raise
            # What was read covers only the reviewed changes: the plan shown for the next
            # review reads everything, as `plan` would.
            everything, _ = load_selected(path, requested, stderr)
            with long_lived():
                full = make_plan(provider, everything.campaigns, everything.tool, refused=refused)
            hint = stale.hint or ""
            raise StaleSavedPlan(
                stale.message, hint=hint, saved=stale.saved, rebuilt=full
            ) from None
        _show_plan(plan, saved is not None, output_format)
        _refuse_blocked(plan, allow_destroy)
        if not plan.has_changes:
            return no_changes(output_format, report_file)
        if interactive and not _confirmed():
            raise SyncError("apply cancelled; nothing was changed")
        scale = EMULATOR_TIME_SCALE if connection.emulator else connection.time_scale
        ctx = run_context(
            provider, project, plan, stop=stop, sleep=sleep, stderr=stderr, scale=scale
        )
        ctx.refusals = record
        journal = journal_file or state_file(project.root, APPLY_JOURNAL)
        report = execute(plan, project, ctx, journal, stderr)
    return finish(report, output_format, report_file)


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


class StaleSavedPlan(StalePlanError):
    """A stale saved plan, with the plan apply would run now (for whoever shows it for review)."""

    def __init__(self, message: str, *, hint: str, saved: Plan, rebuilt: Plan) -> None:
        super().__init__(message, hint=hint)
        self.saved = saved
        self.rebuilt = rebuilt


_SHOWN_DIFFERENCES = 20


def _refuse_stale(saved: Plan | None, plan: Plan, replan: str) -> None:
    if saved is None:
        return
    reasons = staleness(saved, plan, partial=True)
    if reasons:
        raise StaleSavedPlan(
            "the saved plan is stale: "
            + "; ".join(reasons)
            + ". Nothing was changed."
            + _differences(saved, plan),
            hint=f"run {replan} again, review it, and apply that",
            saved=saved,
            rebuilt=plan,
        )


def _differences(saved: Plan, plan: Plan) -> str:
    found = since_review(saved, plan)
    if found.looks_the_same:
        return "\n  The changes read the same, but what they write differs (lead data or settings)."
    lines = [f"  + {line}" for line in found.added] + [f"  - {line}" for line in found.dropped]
    lines += [f"  ~ {line}" for line in found.changed]
    more = len(lines) - _SHOWN_DIFFERENCES
    shown = lines[:_SHOWN_DIFFERENCES] + ([f"  ... and {more} more"] if more > 0 else [])
    legend = "+ now planned, - no longer planned, ~ planned differently"
    return f"\n  Since the plan was made ({legend}):\n" + "\n".join(
        "  " + line for line in shown
    )


def _show_plan(plan: Plan, from_file: bool, output_format: str) -> None:
    if output_format == "json":
        return  # stdout carries the JSON report only
    out = Console.for_stdout()
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
