"""The run's context object: made once, carrying --no-color and the consoles to every command."""

from __future__ import annotations

import click
from click.testing import CliRunner

from smartlead_sync.cli.context import NO_COLOR_OPTION, CliContext, pass_cli

SEEN: list[CliContext] = []


@click.group(params=[NO_COLOR_OPTION])
def group() -> None:
    """A group sharing --no-color, as the real one does."""


@group.command(params=[NO_COLOR_OPTION])
@pass_cli
def probe(run: CliContext) -> None:
    SEEN.append(run)
    assert run.stdout is run.stdout and run.stderr is run.stderr
    run.stdout.print(run.stdout.style("out", fg="red"))
    run.stderr.print("err")


def _probe(*args: str, obj: CliContext | None = None) -> CliContext:
    SEEN.clear()
    result = CliRunner().invoke(
        group, list(args), obj=obj, env={"FORCE_COLOR": "1", "NO_COLOR": None, "TERM": None}
    )
    assert result.exit_code == 0, result.output
    (run,) = SEEN
    return run


def test_the_object_given_to_the_run_reaches_the_command() -> None:
    given = CliContext()
    assert _probe("probe", obj=given) is given
    assert given.stdout.color and not given.no_color


def test_no_color_before_or_after_the_command_name_reaches_the_one_object() -> None:
    for args in (("--no-color", "probe"), ("probe", "--no-color")):
        run = _probe(*args)
        assert run.no_color
        assert not run.stdout.color and not run.stderr.color


def test_a_command_run_without_one_gets_its_own() -> None:
    first, second = _probe("probe"), _probe("probe")
    assert first is not second
    assert not first.no_color and first.stdout.color
