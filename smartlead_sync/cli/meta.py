"""CLI commands about the command line itself: help and shell completion."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from smartlead_sync.cli.lazy import unknown_command

PROG_NAME = "smartlead-sync"
COMPLETE_VAR = "_SMARTLEAD_SYNC_COMPLETE"  # what click's completion scripts call back with


@click.command("help")
@click.argument("names", nargs=-1, metavar="[COMMAND]...")
@click.pass_context
def help_command(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Show the help of smartlead-sync, or of one command (`help plan`, `help emulator serve`)."""
    target = ctx.find_root()
    for name in names:
        group = target.command
        if not isinstance(group, click.Group):
            raise click.UsageError(f"{target.command_path!r} has no subcommands", ctx=ctx)
        command = group.get_command(target, name)
        if command is None:
            raise click.UsageError(unknown_command(name, group.list_commands(target)), ctx=ctx)
        target = click.Context(command, info_name=name, parent=target)
    click.echo(target.get_help())


@click.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the shell completion script for SHELL (commands, options, choices, files).

    \b
    bash:  add  eval "$(smartlead-sync completion bash)"  to ~/.bashrc
    zsh:   add  eval "$(smartlead-sync completion zsh)"   to ~/.zshrc
    fish:  smartlead-sync completion fish > ~/.config/fish/completions/smartlead-sync.fish
    """
    complete = get_completion_class(shell)
    if complete is None:  # the choice above lists only shells click supports
        raise click.UsageError(f"no completion for {shell}", ctx=ctx)
    script = complete(ctx.find_root().command, {}, PROG_NAME, COMPLETE_VAR).source()
    click.echo(script)


COMMANDS: list[click.Command] = [help_command, completion]
