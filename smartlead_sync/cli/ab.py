"""CLI command: ab (judge the files' A/B tests on live statistics; propose winners as edits)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from smartlead_sync.cli.connection import ConnectionOptions, connection_options, open_provider
from smartlead_sync.cli.options import campaign_filter, project_path
from smartlead_sync.cli.output import Console
from smartlead_sync.cli.plan import load_checked
from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.errors import ExitCode, InputError
from smartlead_sync.health.ab_check import AbTestRun, check_ab
from smartlead_sync.health.ab_render import render_ab
from smartlead_sync.health.ab_write import CannotEdit, promotion_edits
from smartlead_sync.identity import resolve_identities
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for a pull request, json for machines.",
)
@click.option(
    "--write",
    is_flag=True,
    help="Edit the campaign files to promote each winner (review the change, then apply).",
)
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 2 when a winner is not promoted in the files yet, 0 otherwise (1 on error).",
)
@campaign_filter("Judge the tests of")
@connection_options
def ab(
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
    console = Console.for_stderr()
    project = load_checked(path, campaigns, console)
    with open_provider(connection, project.tool, project_root=project.root) as provider:
        resolution = resolve_identities(project.campaigns, provider.list_campaigns())
        if resolution.problems:
            raise InputError(list(resolution.problems), "the A/B tests cannot be judged")
        runs = check_ab(project, resolution.matches, provider.client)
    written = _write(project, runs, console) if write else {}
    click.echo(render_ab(runs, fmt, written), nl=False)
    pending = _to_promote(runs)
    return ExitCode.CHANGES if detailed_exitcode and pending else ExitCode.OK


COMMANDS: list[click.Command] = [ab]
