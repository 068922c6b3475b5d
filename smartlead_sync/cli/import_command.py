"""CLI commands: import (live campaigns -> campaign files)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import click

from smartlead_sync.cli.account import open_provider
from smartlead_sync.cli.connection import ConnectionOptions, connection_options, suggested_command
from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.cli.options import format_option
from smartlead_sync.cli.output import Console
from smartlead_sync.desired import load_project
from smartlead_sync.desired.import_campaigns import (
    Declared,
    ImportResult,
    import_files,
    select_campaigns,
    write_files,
)
from smartlead_sync.localstate import project_root
from smartlead_sync.masking import printable
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import CampaignState
from smartlead_sync.tool_settings import ToolSettings

_DIR = click.Path(file_okay=False, path_type=Path)


def _existing(directory: Path) -> tuple[ToolSettings, list[Declared]]:
    """Tool settings and already declared campaigns of `directory`, if it holds a project."""
    if not directory.is_dir():
        return ToolSettings(), []
    project, _problems = load_project(directory, env=dict(os.environ))
    declared = [
        Declared(c.source, c.state.name, c.state.client_id, c.state.id) for c in project.campaigns
    ]
    return project.tool, declared


@click.command("import")
@click.argument("path", default="campaigns", type=_DIR)
@click.option("--out", type=_DIR, help="Write the files here instead of PATH.")
@click.option(
    "--campaign",
    "selectors",
    multiple=True,
    metavar="NAME|ID",
    help="Import only this live campaign (name or id); repeatable. Default: all.",
)
@click.option("--client", "client_id", type=click.IntRange(min=0), help="Only this client's.")
@click.option(
    "--with-leads",
    is_flag=True,
    help="Also write each campaign's leads to a CSV (personal data: keep it out of git).",
)
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@format_option("text json", "What was written: text for people, json for machines (on stdout).")
@connection_options
@pass_cli
def import_command(
    run: CliContext,
    *,
    path: Path,
    out: Path | None,
    selectors: tuple[str, ...],
    client_id: int | None,
    with_leads: bool,
    force: bool,
    fmt: str,
    connection: ConnectionOptions,
) -> None:
    """Write live campaigns as campaign files, so that the first `plan` shows no change.

    One file per campaign, pinned by `id:`; long HTML bodies in body files; leads only with
    --with-leads. Mailbox passwords are never written. Campaigns that a file in the directory
    already declares are skipped; existing files are never overwritten without --force.
    Live texts that campaign files refuse (control characters, bidirectional overrides) are
    never written: such a campaign, or such a campaign's webhooks, is left out with a note.
    PATH is the project directory (default: campaigns/): its settings (rate limits) apply.

    \b
    Exit codes: 0 files written or nothing to import; 1 error (nothing is
                written when a file would be overwritten without --force).
    """
    target = out or path
    tool, declared = _existing(target)
    if target != path:
        tool, _ = _existing(path)
    with open_provider(
        connection, tool, project_root=project_root(path), notices=run.stderr
    ) as provider:
        chosen = select_campaigns(provider.list_campaigns(), selectors, client_id)
        if not chosen:
            _report(run.stdout, ImportResult(files=(), imported=()), target, fmt, "")
            return
        states = _read(provider, [c.id for c in chosen], with_leads, run.stderr)
    result = import_files(states, declared)
    write_files(result, target, force=force)
    _report(run.stdout, result, target, fmt, suggested_command("plan", target, connection))


def _report(console: Console, result: ImportResult, target: Path, fmt: str, replan: str) -> None:
    """What was written: lines for people, or one JSON document (`campaign_files`, every file
    in `files`, `notes`) for scripts; `replan` is the command that should now plan nothing."""
    if fmt == "json":
        document = {
            "ok": True,
            "directory": str(target),
            "campaign_files": [str(target / name) for name in result.imported],
            "files": [str(target / f.path) for f in result.files],
            "notes": list(result.notes),
        }
        console.print(json.dumps(document, indent=2, ensure_ascii=False))
        return
    if not result.imported and not result.notes:
        console.print("No live campaigns to import.")
        return
    for name in result.imported:
        console.print(f"  wrote {target / name}")
    for note in result.notes:
        console.print(f"  note: {note}")
    count = len(result.imported)
    console.print(
        f"Imported {count} campaign{'s' if count != 1 else ''} into {target}. "
        f"Next: {replan} should show no changes."
    )


def _read(
    provider: SmartleadProvider, ids: Sequence[int], with_leads: bool, err: Console
) -> list[CampaignState]:
    """Read each campaign in depth, saying how far along it is (reads are rate-limited)."""
    states = []
    for n, campaign_id in enumerate(ids, start=1):
        state = provider.read_campaign(campaign_id, with_leads=with_leads)
        err.print(f"read {n}/{len(ids)}: {printable(state.name)}")
        states.append(state)
    return states


COMMANDS: list[click.Command] = [import_command]
