"""CLI command: plan (validate, read live state, show what apply would change)."""

from __future__ import annotations

from pathlib import Path

import click

from smartlead_sync.cli.connection import (
    ConnectionOptions,
    account_of,
    connection_options,
    open_provider,
)
from smartlead_sync.cli.drift_base import drift_base_option, drift_section
from smartlead_sync.cli.files import output_option, write_output
from smartlead_sync.cli.memory import long_lived
from smartlead_sync.cli.options import (
    campaign_filter,
    checked_project,
    project_path,
    retry_refused_option,
)
from smartlead_sync.cli.output import Console
from smartlead_sync.cli.selection import LiveIdFilter, live_id_filter, narrow_to_live_ids
from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.errors import ConfigError, ExitCode, InputError, Severity
from smartlead_sync.plan import Plan
from smartlead_sync.planning import Progress, make_plan
from smartlead_sync.refusals import RefusalRecord
from smartlead_sync.render.json import render_json
from smartlead_sync.render.markdown import render_markdown
from smartlead_sync.render.text import render_text

_PROGRESS_FROM = 5  # campaigns read in depth before progress is worth showing


def load_checked(path: Path, campaigns: tuple[str, ...], console: Console) -> DesiredProject:
    """Load and validate the files; warnings go to stderr, any error stops with exit 1."""
    project, problems = checked_project(path, campaigns)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise InputError(errors, f"{len(errors)} problem(s) in {path}; nothing was read or planned")
    for problem in problems:
        console.print(problem.render())
    if campaigns and not project.campaigns:
        raise ConfigError(
            f"no campaign in {path} matches --campaign {' '.join(campaigns)}",
            hint="give a campaign's name, a previous name or its id",
        )
    return project


def load_selected(
    path: Path, campaigns: tuple[str, ...], console: Console
) -> tuple[DesiredProject, LiveIdFilter]:
    """`load_checked`, except that a number no file pins may be a live id: then every file is
    loaded, and `narrow_to_live_ids` selects once the account's campaign list is read."""
    if any(c.strip().isdigit() for c in campaigns):
        project = load_checked(path, (), console)
        wanted = live_id_filter(campaigns, project)
        if wanted:
            return project, wanted
    return load_checked(path, campaigns, console), LiveIdFilter.none()


def progress_printer(console: Console) -> Progress:
    """Progress on stderr while reading: one updating line on a terminal, else every 10%."""
    tty = bool(getattr(console.stream, "isatty", lambda: False)())
    shown: set[int] = set()

    def show(done: int, total: int, name: str) -> None:
        if total < _PROGRESS_FROM:
            return
        if tty:
            end = "\n" if done == total else ""
            console.stream.write(f"\rreading campaign {done}/{total}\x1b[K{end}")
            console.stream.flush()
            return
        step = done * 10 // total
        if step not in shown:
            shown.add(step)
            console.print(f"read {done}/{total} campaigns")

    return show


def render(plan: Plan, fmt: str, *, full: bool, color: bool, out: Path | None) -> str:
    if fmt == "json":
        return render_json(plan)
    if fmt == "markdown":
        location = f"`{out}`" if out else "the output of `smartlead-sync plan --format json`"
        return render_markdown(plan, full_plan_location=location)
    return render_text(plan, color=color, full=full)


@click.command()
@project_path
@output_option("--out", help="Also write the plan file (JSON) here, for review and `apply --plan`.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for a pull-request comment, json for machines.",
)
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 2 when there are changes, 0 when there are none (1 on error).",
)
@campaign_filter("Plan")
@click.option("--full", is_flag=True, help="Show every body line and the unchanged campaigns.")
@retry_refused_option
@drift_base_option
@connection_options
def plan(
    *,
    path: Path,
    out: Path | None,
    fmt: str,
    detailed_exitcode: bool,
    campaigns: tuple[str, ...],
    full: bool,
    retry_refused: bool,
    drift_base: str | None,
    connection: ConnectionOptions,
) -> int:
    """Show what apply would change in Smartlead to match the campaign files.

    Validates the files first, then reads the account: its campaign list once and, in depth,
    only the campaigns the files declare. Nothing is written to Smartlead. PATH is the project
    directory (default: campaigns/) or one campaign file; left out, the project is looked for
    in the current directory and its parents.

    \b
    Exit codes: 0 plan made (with --detailed-exitcode: no changes); 1 error;
                2 changes present (only with --detailed-exitcode).
    """
    console = Console.for_stderr()
    project, wanted = load_selected(path, campaigns, console)
    # The live state read lasts as long as the command (memory.py).
    with (
        open_provider(connection, project.tool, project_root=project.root) as provider,
        long_lived(),
    ):
        if wanted:
            project = narrow_to_live_ids(project, wanted, provider.list_campaigns())
        record = RefusalRecord(project.root, account_of(connection))
        result = make_plan(
            provider,
            project.campaigns,
            project.tool,
            progress=progress_printer(console),
            refused=None if retry_refused else record.load(),
        )
    if out is not None:
        write_output(out, result.to_json())
    stdout = Console.for_stdout()
    shown = render(result, fmt, full=full, color=stdout.color, out=out)
    if drift_base:
        shown += drift_section(
            path, drift_base, current=project, plan=result, fmt=fmt, console=console
        )
    click.echo(shown, nl=False)
    if out is not None:
        console.print(f"plan written to {out}")
    return ExitCode.CHANGES if detailed_exitcode and result.has_changes else ExitCode.OK


COMMANDS: list[click.Command] = [plan]
