"""A click group that imports a command's module only when that command runs.

`smartlead-sync --help` lists every command from a table of one-line summaries, so it never
imports the models, the emulator, the apply engine or httpx; a command's module is imported
the first time the command is looked up to be run (or completed).
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import click


def unknown_command(name: str, known: list[str]) -> str:
    """What to say about a command name that is not one of `known`: the closest, and all."""
    close = difflib.get_close_matches(name, known, n=1)
    suggestion = f" (did you mean {close[0]!r}?)" if close else ""
    return f"no such command {name!r}{suggestion}; commands: {', '.join(known)}"


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives and the line `--help` shows for it.

    `module` exports `COMMANDS`, a list holding a command named like the table key. `summary`
    is the first sentence of that command's help (a test keeps the two equal)."""

    module: str
    summary: str


class LazyGroup(click.Group):
    """A group whose commands are imported on first use, from a name -> `LazyCommand` table."""

    def __init__(
        self,
        *args: Any,
        lazy: Mapping[str, LazyCommand],
        shared_params: Sequence[click.Parameter] = (),
        **kwargs: Any,
    ) -> None:
        """`shared_params` are accepted by the group and by each of its commands."""
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)
        self.shared_params = list(shared_params)
        self.params.extend(self.shared_params)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(self._load(cmd_name))
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """As click's, and a mistyped command name gets the closest command as a suggestion
        (click only looks among the commands already imported)."""
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            name = args[0] if args else ""
            known = self.list_commands(ctx)
            if name.startswith("-") or name in known:  # an option's error, not a command's
                raise
            raise click.UsageError(unknown_command(name, known), ctx=ctx) from None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """As click's; an option of a command written before the command's name
        (`smartlead-sync --emulator plan`) is told to go after it."""
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            known = self.list_commands(ctx)
            command = next((arg for arg in args if arg in known), None)
            option = exc.option_name
            if command is None or not self._takes(ctx, command, option):
                raise
            raise click.NoSuchOption(
                option,
                message=f"No such option {option!r} before the command: a command's options "
                f"go after its name (smartlead-sync {command} {option} ...)",
                ctx=ctx,
            ) from None

    def _takes(self, ctx: click.Context, name: str, option: str) -> bool:
        command = self.get_command(ctx, name)
        params = command.params if command is not None else []
        return any(option in (*param.opts, *param.secondary_opts) for param in params)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the table: listing commands imports none of them."""
        rows = [(name, self._summary(ctx, name)) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def _summary(self, ctx: click.Context, name: str) -> str:
        if name in self.lazy:
            return self.lazy[name].summary
        command = super().get_command(ctx, name)
        return command.get_short_help_str(limit=200) if command else ""

    def _load(self, name: str) -> click.Command:
        module = importlib.import_module(self.lazy[name].module)
        for command in module.COMMANDS:
            if isinstance(command, click.Command) and command.name == name:
                known = {param.name for param in command.params}
                command.params.extend(p for p in self.shared_params if p.name not in known)
                return command
        raise LookupError(f"{self.lazy[name].module} defines no command named {name!r}")
