"""CLI command: guard (evaluate the campaign files' guards against live analytics; pause)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import click

from smartlead_sync.cli.account import matched_campaigns, opened_project
from smartlead_sync.cli.connection import ConnectionOptions, connection_options
from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.cli.files import output_option, write_output
from smartlead_sync.cli.options import (
    campaign_filter,
    detailed_exitcode_option,
    echo_report,
    format_option,
    project_path,
)
from smartlead_sync.cli.output import Console
from smartlead_sync.health.check import GuardReport, check_guards
from smartlead_sync.health.guard_render import render_guard
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import Status


def _pause_tripped(
    provider: SmartleadProvider, report: GuardReport, console: Console
) -> GuardReport:
    paused: list[int] = []
    for campaign in report.to_pause:
        provider.set_status(campaign.campaign_id, Status.PAUSED)
        console.print(f"paused '{campaign.name}' (id {campaign.campaign_id})")
        paused.append(campaign.campaign_id)
    return replace(report, paused=tuple(paused))


@click.command()
@project_path
@format_option(
    "text markdown json", "text for a terminal, markdown for an issue, json for machines."
)
@output_option("--out", help="Also write the report as JSON here (for scripts and CI).")
@click.option(
    "--auto-approve",
    is_flag=True,
    help="Pause the campaigns whose `pause` guards tripped (pausing is reversible).",
)
@detailed_exitcode_option("Exit 2 when a guard tripped, 0 when none did (1 on error).")
@campaign_filter("Check")
@connection_options
@pass_cli
def guard(
    run: CliContext,
    *,
    path: Path,
    out: Path | None,
    fmt: str,
    auto_approve: bool,
    detailed_exitcode: bool,
    campaigns: tuple[str, ...],
    connection: ConnectionOptions,
) -> int:
    """Check the campaign files' guards against live analytics; pause what tripped.

    Reads the account's campaign list once, then one analytics call per active campaign
    with guards (one per distinct window). Shows every guard's evidence: metric, value,
    threshold, sample and window. Without --auto-approve nothing is written.

    \b
    Exit codes: 0 done (with --detailed-exitcode: nothing tripped); 1 error;
                2 a guard tripped (only with --detailed-exitcode).
    """
    with opened_project(run, path, campaigns, connection) as (project, provider):
        today = datetime.now(timezone.utc).date()
        matches = matched_campaigns(project, provider, refused="the guards cannot be checked")
        report = check_guards(matches, provider.read_counts, today)
        if auto_approve:
            report = _pause_tripped(provider, report, run.stderr)
    if out is not None:
        write_output(out, render_guard(report, "json"))
    found = bool(report.tripped)
    return echo_report(render_guard(report, fmt), found=found, detailed_exitcode=detailed_exitcode)


COMMANDS: list[click.Command] = [guard]
