"""The object every command receives: the run's global options and its two consoles.

`main` makes one `CliContext` per run and hands it to click as the context object; a command
asks for it with `@pass_cli` (made `ensure=True`, so a command invoked on its own gets one
too). Cheap to import: `--help` loads this module, and nothing heavy.
"""

from __future__ import annotations

import sys

import click

from smartlead_sync.cli.output import Console, color_enabled


class CliContext:
    """Global options of one run (`--no-color`) and the consoles on stdout and stderr.

    Each console is made on first use, after every option of the command line is read, so
    that a `--no-color` given after the command name holds for it too."""

    def __init__(self) -> None:
        self.no_color = False
        self._stdout: Console | None = None
        self._stderr: Console | None = None

    @property
    def stdout(self) -> Console:
        if self._stdout is None:
            self._stdout = Console(sys.stdout, color_enabled(sys.stdout, no_color=self.no_color))
        return self._stdout

    @property
    def stderr(self) -> Console:
        if self._stderr is None:
            self._stderr = Console(sys.stderr, color_enabled(sys.stderr, no_color=self.no_color))
        return self._stderr


pass_cli = click.make_pass_decorator(CliContext, ensure=True)


def _no_color_chosen(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(CliContext).no_color = True


NO_COLOR_OPTION = click.Option(
    ["--no-color"],
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_no_color_chosen,
    help="No colour in the output (as NO_COLOR=1 does).",
)
