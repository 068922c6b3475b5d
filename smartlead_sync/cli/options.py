"""What the commands share: the project argument, the campaign filter, loading the files with
every problem found (so that every command reads the same files the same way), progress while
reading, a plan in the chosen format, and the exit code of a report."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from click.core import ParameterSource

from smartlead_sync.cli.memory import long_lived
from smartlead_sync.cli.output import Console
from smartlead_sync.cli.selection import LiveIdFilter, live_id_filter
from smartlead_sync.desired import check_project, load_project
from smartlead_sync.desired.checks import sort_problems
from smartlead_sync.desired.layout import PROJECT_FILE
from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.errors import ConfigError, ExitCode, InputError, Problem, Severity
from smartlead_sync.plan.plan_model import ShownPlan
from smartlead_sync.render.json import render_json
from smartlead_sync.render.markdown import render_markdown
from smartlead_sync.render.text import render_text

if TYPE_CHECKING:
    from smartlead_sync.plan.planning import Progress

F = TypeVar("F", bound=Callable[..., object])

DEFAULT_PROJECT = Path("campaigns")
_PROGRESS_FROM = 5  # campaigns read in depth before progress is worth showing


def find_project(start: Path) -> Path | None:
    """The project a command run in `start` without PATH means, as git finds `.git`: the first
    of `start` and its parents that is a project directory (holds the project file) or holds
    `campaigns/`, stopping after the repository's root (the directory with `.git`) or at `/`.
    Returned relative to `start`, or None when there is none."""
    absolute = start.absolute()
    for directory in (absolute, *absolute.parents):
        if (directory / PROJECT_FILE).is_file():
            return Path(os.path.relpath(directory, absolute))
        if (directory / DEFAULT_PROJECT).is_dir():
            return Path(os.path.relpath(directory / DEFAULT_PROJECT, absolute))
        if (directory / ".git").exists():
            return None
    return None


def _search_when_omitted(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    if param.name is None or ctx.get_parameter_source(param.name) is not ParameterSource.DEFAULT:
        return value
    return find_project(Path.cwd()) or value


project_path = click.argument(
    "path",
    default=str(DEFAULT_PROJECT),
    type=click.Path(path_type=Path),
    callback=_search_when_omitted,
)
"""PATH, the project directory or one campaign file. Omitted: the project of the current
directory or the nearest parent (`find_project`), else `campaigns`."""


def campaign_filter(verb: str) -> Callable[[F], F]:
    """`--campaign NAME`, repeatable, passed as `campaigns=`; `verb` starts its help line."""
    return click.option(
        "--campaign",
        "campaigns",
        multiple=True,
        metavar="NAME",
        help=f"{verb} only this campaign (name, previous name or id); repeatable.",
    )


def format_option(choices: str, help: str, *, dest: str = "fmt") -> Callable[[F], F]:
    """`--format`, one of the space-separated `choices`, text by default, passed as `dest=`."""
    return click.option(
        "--format",
        dest,
        type=click.Choice(choices.split()),
        default="text",
        show_default=True,
        help=help,
    )


def detailed_exitcode_option(help: str) -> Callable[[F], F]:
    """`--detailed-exitcode`: exit 2 when the report found something to act on (`echo_report`)."""
    return click.option("--detailed-exitcode", is_flag=True, help=help)


plan_format_option = format_option(
    "text markdown json",
    "text for a terminal, markdown for a pull-request comment, json for machines.",
)
full_option = click.option(
    "--full", is_flag=True, help="Show every body line and the unchanged campaigns."
)

retry_refused_option = click.option(
    "--retry-refused",
    is_flag=True,
    help="Send again the leads Smartlead refused before for a lasting reason (block list, "
    "unsubscribed, bounced, in another campaign); without it they are listed, not planned.",
)


def checked_project(path: Path, campaigns: tuple[str, ...]) -> tuple[DesiredProject, list[Problem]]:
    """The project and every problem in its files, sorted; a problem of a template that many
    campaigns share is reported once."""
    with long_lived():
        project, problems = load_project(path, env=dict(os.environ), campaigns=campaigns)
    return project, list(dict.fromkeys(sort_problems(problems + check_project(project))))


def load_checked(path: Path, campaigns: tuple[str, ...], console: Console) -> DesiredProject:
    """Load and validate the files; warnings go to stderr, any error stops with exit 1."""
    project, problems = checked_project(path, campaigns)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise InputError(errors, f"{len(errors)} problem(s) in {path}; nothing was read or planned")
    for problem in problems:
        console.print(problem.render())
    if campaigns and not project.campaigns:
        raise ConfigError(
            f"no campaign in {path} matches --campaign {' '.join(campaigns)}",
            hint="give a campaign's name, a previous name or its id",
        )
    return project


def load_selected(
    path: Path, campaigns: tuple[str, ...], console: Console
) -> tuple[DesiredProject, LiveIdFilter]:
    """`load_checked`, except that a number no file pins may be a live id: then every file is
    loaded, and `narrow_to_live_ids` selects once the account's campaign list is read."""
    if any(c.strip().isdigit() for c in campaigns):
        project = load_checked(path, (), console)
        wanted = live_id_filter(campaigns, project)
        if wanted:
            return project, wanted
    return load_checked(path, campaigns, console), LiveIdFilter.none()


def progress_printer(console: Console) -> Progress:
    """Progress on stderr while reading: one updating line on a terminal, else every 10%."""
    tty = bool(getattr(console.stream, "isatty", lambda: False)())
    shown: set[int] = set()

    def show(done: int, total: int, name: str) -> None:
        if total < _PROGRESS_FROM:
            return
        if tty:
            end = "\n" if done == total else ""
            console.stream.write(f"\rreading campaign {done}/{total}\x1b[K{end}")
            console.stream.flush()
            return
        step = done * 10 // total
        if step not in shown:
            shown.add(step)
            console.print(f"read {done}/{total} campaigns")

    return show


def echo_report(
    text: str, *, found: bool, detailed_exitcode: bool, color: bool | None = None
) -> int:
    """Print a command's report on stdout as it is (`color`: keep its colours, as the stdout
    console decided, even on a pipe; None: only on a terminal); exit 2 when `found` something
    to act on and `--detailed-exitcode` asks for it, else 0."""
    click.echo(text, nl=False, color=color)
    return ExitCode.CHANGES if detailed_exitcode and found else ExitCode.OK


def render(plan: ShownPlan, fmt: str, *, full: bool, color: bool, out: Path | None) -> str:
    """A plan as `plan --format fmt` and `show` print it; `out` is where its JSON was written."""
    if fmt == "json":
        return render_json(plan)
    if fmt == "markdown":
        location = f"`{out}`" if out else "the output of `smartlead-sync plan --format json`"
        return render_markdown(plan, full_plan_location=location)
    return render_text(plan, color=color, full=full)
