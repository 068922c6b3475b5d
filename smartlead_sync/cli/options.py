"""What validate, plan and apply share: the project argument, the campaign filter, and loading
the files with every problem found, so that the three read the same files the same way."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from click.core import ParameterSource

from smartlead_sync.cli.memory import long_lived
from smartlead_sync.desired import check_project, load_project
from smartlead_sync.desired.checks import sort_problems
from smartlead_sync.desired.layout import PROJECT_FILE
from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.errors import Problem

F = TypeVar("F", bound=Callable[..., object])

DEFAULT_PROJECT = Path("campaigns")



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
