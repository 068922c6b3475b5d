"""CLI command: ab (judge the files' A/B tests on live statistics; propose winners as edits)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from smartlead_sync.cli.account import matched_campaigns, opened_project
from smartlead_sync.cli.connection import ConnectionOptions, connection_options
from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.cli.options import (
    campaign_filter,
    detailed_exitcode_option,
    echo_report,
    format_option,
    project_path,
)
from smartlead_sync.cli.output import Console
from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.health.ab_check import AbTestRun, check_ab
from smartlead_sync.health.ab_render import render_ab
from smartlead_sync.health.ab_write import CannotEdit, promotion_edits
from smartlead_sync.masking import printable


def _to_promote(runs: Sequence[AbTestRun]) -> list[AbTestRun]:
    return [
        r
        for r in runs
        if r.verdict is not None and r.verdict.winner is not None and not r.already_promoted
    ]


def _write(project: DesiredProject, runs: Sequence[AbTestRun], console: Console) -> dict[str, str]:
    """Edit the campaign files; later steps first, so earlier positions stay right."""
    written: dict[str, str] = {}
    for run in sorted(_to_promote(runs), key=lambda r: (r.source, -r.step_index)):
        assert run.verdict is not None and run.verdict.winner is not None
        source = project.sources[run.source]
        key = f"{run.source}#{run.step}"
        shown = printable(source.path)  # a committed file name may hold control characters
        try:
            lines = promotion_edits(source, run.step_index, run.verdict.winner, run.spec.on_winner)
        except CannotEdit as exc:
            written[key] = f"not written: {exc}; edit the file by hand"
            console.print(f"{shown}: step {run.step}: {written[key]}")
            continue
        Path(source.path).write_text("\n".join(lines) + "\n", encoding="utf-8")
        written[key] = f"written to {shown} ({run.spec.on_winner.value})"
        console.print(f"{shown}: step {run.step}: {run.verdict.winner} promoted")
    return written


@click.command()
@project_path
@format_option(
    "text markdown json", "text for a terminal, markdown for a pull request, json for machines."
)
@click.option(
    "--write",
    is_flag=True,
    help="Edit the campaign files to promote each winner (review the change, then apply).",
)
@detailed_exitcode_option(
    "Exit 2 when a winner is not promoted in the files yet, 0 otherwise (1 on error)."
)
@campaign_filter("Judge the tests of")
@connection_options
@pass_cli
def ab(
    run: CliContext,
    *,
    path: Path,
    fmt: str,
    write: bool,
    detailed_exitcode: bool,
    campaigns: tuple[str, ...],
    connection: ConnectionOptions,
) -> int:
    """Judge the files' A/B tests on live statistics; propose each winner as a file edit.

    For every step with `ab_test:`, reads its emails' statistics and reports per variant the
    sends, events, rate and always-valid interval, and the verdict of a sequential test that
    stays valid however often it is run. With --write, a winner is promoted by editing the
    campaign file (nothing is written to Smartlead: plan and apply carry the change).

    \b
    Exit codes: 0 done (with --detailed-exitcode: nothing to promote); 1 error;
                2 a winner to promote (only with --detailed-exitcode).
    """
    with opened_project(run, path, campaigns, connection) as (project, provider):
        matches = matched_campaigns(project, provider, refused="the A/B tests cannot be judged")
        runs = check_ab(project, matches, provider.client)
    written = _write(project, runs, run.stderr) if write else {}
    found = bool(_to_promote(runs))
    return echo_report(
        render_ab(runs, fmt, written), found=found, detailed_exitcode=detailed_exitcode
    )


COMMANDS: list[click.Command] = [ab]
