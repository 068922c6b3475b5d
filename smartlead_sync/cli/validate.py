"""CLI commands: validate (offline checks) and schema (JSON Schema for editors)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from smartlead_sync.cli.annotations import annotation
from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.cli.failure import problem_json
from smartlead_sync.cli.options import campaign_filter, checked_project, format_option, project_path
from smartlead_sync.cli.output import Console
from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.desired.schema import schema_text
from smartlead_sync.errors import ExitCode, Problem, Severity


@click.command()
@project_path
@campaign_filter("Check")
@format_option(
    "text json github",
    "text for people, json for machines, github for annotations in a GitHub Actions log.",
)
@pass_cli
def validate(run: CliContext, path: Path, campaigns: tuple[str, ...], fmt: str) -> int:
    """Check campaign files and lead sources offline: schema, emails, {{variables}}, START
    preconditions. PATH is the project directory (default: campaigns/) or one campaign file;
    left out, the project is looked for in the current directory and its parents.

    With --format github each problem is a workflow command (`::error file=...,line=...::`)
    that GitHub Actions shows on the line of the pull request's diff.

    \b
    Exit codes: 0 no errors (warnings allowed); 1 at least one error.
    """
    project, problems = checked_project(path, campaigns)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    if fmt == "json":
        click.echo(json.dumps(_as_json(project, problems, errors), indent=2, ensure_ascii=False))
    elif fmt == "github":
        for problem in problems:
            run.stdout.print(annotation(problem))
        run.stdout.print(_summary(project, len(problems), errors))
    else:
        _print_text(run.stdout, project, problems, errors)
    return ExitCode.ERROR if errors else ExitCode.OK


def _print_text(
    console: Console, project: DesiredProject, problems: Sequence[Problem], errors: int
) -> None:
    current: str | None = None
    for problem in problems:
        if problem.file != current:
            if current is not None:
                console.print()
            current = problem.file
        color = "red" if problem.severity is Severity.ERROR else "yellow"
        where = f"{problem.location}: " if problem.location else ""
        label = console.style(problem.severity.value, fg=color, bold=True)
        hint = f" ({problem.hint})" if problem.hint else ""
        console.print(f"{where}{label}: {problem.message}{hint}")
    if problems:
        console.print()
    console.print(_summary(project, len(problems), errors))


def _summary(project: DesiredProject, problems: int, errors: int) -> str:
    leads = sum(len(c.state.leads or {}) for c in project.campaigns)
    summary = f"{len(project.campaigns)} campaign(s), {leads} lead(s): "
    summary += f"{errors} error(s), {problems - errors} warning(s)"
    return summary if errors else f"ok: {summary}"


def _as_json(project: DesiredProject, problems: Sequence[Problem], errors: int) -> object:
    return {
        "ok": errors == 0,
        "errors": errors,
        "warnings": len(problems) - errors,
        "campaigns": [
            {"name": c.state.name, "file": c.source, "leads": len(c.state.leads or {})}
            for c in project.campaigns
        ],
        "problems": [problem_json(p) for p in problems],
    }


@click.command()
@click.option(
    "--project",
    "kind",
    flag_value="project",
    help="The schema of the project file (smartlead-sync.yaml) instead.",
)
@click.option(
    "--template",
    "kind",
    flag_value="template",
    help="The schema of a template under templates/ (no key required) instead.",
)
@click.option("--campaign", "kind", flag_value="campaign", default=True, hidden=True)
def schema(kind: str) -> None:
    """Print the JSON Schema of the campaign file (for editor validation)."""
    click.echo(schema_text(kind), nl=False)


COMMANDS: list[click.Command] = [validate, schema]
