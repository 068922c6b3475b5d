"""CLI command: show (print a saved plan again, in any of the plan's formats)."""

from __future__ import annotations

from pathlib import Path

import click

from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.cli.files import read_plan_file
from smartlead_sync.cli.options import full_option, plan_format_option, render
from smartlead_sync.masking import printable_json


@click.command("show")
@click.argument(
    "plan_file", metavar="PLAN", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@plan_format_option
@full_option
@pass_cli
def show(run: CliContext, *, plan_file: Path, fmt: str, full: bool) -> None:
    """Print a saved plan (made by `plan --out PLAN`) again, as text, markdown or JSON.

    Reads only the plan file: no campaign files, no Smartlead. It shows what was planned
    then; `apply --plan PLAN` checks that it still holds before applying it.

    \b
    Exit codes: 0 shown; 1 the file is not a plan file.
    """
    plan = read_plan_file(plan_file)  # checked as a plan even when printed as it is
    if fmt == "json":
        # The file is the JSON rendering; reading it back drops the payloads (see plan_io).
        # A file edited by hand may hold raw what plan_to_json writes escaped.
        click.echo(printable_json(plan_file.read_text(encoding="utf-8")), nl=False)
        return
    shown = render(plan, fmt, full=full, color=run.stdout.color, out=plan_file)
    click.echo(shown, nl=False, color=run.stdout.color)


COMMANDS: list[click.Command] = [show]
