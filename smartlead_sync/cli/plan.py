"""CLI command: plan (validate, read live state, show what apply would change)."""

from __future__ import annotations

from pathlib import Path

import click

from smartlead_sync.cli.account import account_of, live_plan, open_provider
from smartlead_sync.cli.connection import ConnectionOptions, connection_options
from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.cli.drift_base import drift_base_option, drift_section
from smartlead_sync.cli.files import output_option, write_output
from smartlead_sync.cli.options import (
    campaign_filter,
    detailed_exitcode_option,
    echo_report,
    full_option,
    load_selected,
    plan_format_option,
    project_path,
    render,
    retry_refused_option,
)
from smartlead_sync.cli.selection import narrow_to_live_ids
from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.refusals import RefusalRecord


@click.command()
@project_path
@output_option("--out", help="Also write the plan file (JSON) here, for review and `apply --plan`.")
@plan_format_option
@detailed_exitcode_option("Exit 2 when there are changes, 0 when there are none (1 on error).")
@campaign_filter("Plan")
@full_option
@retry_refused_option
@drift_base_option
@connection_options
@pass_cli
def plan(
    run: CliContext,
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
    project, result = _planned(run, path, campaigns, connection, retry_refused=retry_refused)
    if out is not None:
        write_output(out, result.to_json())
    shown = render(result, fmt, full=full, color=run.stdout.color, out=out)
    if drift_base:
        shown += drift_section(
            path, drift_base, current=project, plan=result, fmt=fmt, console=run.stderr
        )
    code = echo_report(
        shown,
        found=result.has_changes,
        detailed_exitcode=detailed_exitcode,
        color=run.stdout.color,
    )
    if out is not None:
        run.stderr.print(f"plan written to {out}")
    return code


def _planned(
    run: CliContext,
    path: Path,
    campaigns: tuple[str, ...],
    connection: ConnectionOptions,
    *,
    retry_refused: bool,
) -> tuple[DesiredProject, Plan]:
    """The selected files and their plan against the account (nothing is written to it)."""
    project, wanted = load_selected(path, campaigns, run.stderr)
    with open_provider(
        connection, project.tool, project_root=project.root, notices=run.stderr
    ) as provider:
        if wanted:
            project = narrow_to_live_ids(project, wanted, provider.list_campaigns())
        record = RefusalRecord(project.root, account_of(connection))
        refused = None if retry_refused else record.load()
        return project, live_plan(run, provider, project, refused=refused)


COMMANDS: list[click.Command] = [plan]
