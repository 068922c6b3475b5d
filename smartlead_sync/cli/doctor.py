"""CLI command: doctor (is the key, the account and the files' references in order?)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import click
import httpx

from smartlead_sync.cli.account import open_provider
from smartlead_sync.cli.connection import ConnectionOptions, connection_options
from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.cli.options import checked_project, format_option, project_path
from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.errors import ExitCode, InputError, Severity
from smartlead_sync.health.analytics_counts import Period
from smartlead_sync.health.doctor_checks import (
    RATE_LIMIT_HEADERS,
    DoctorReport,
    Level,
    check_account,
)

_MARKS = {Level.OK: "ok  ", Level.WARN: "warn", Level.FAIL: "FAIL"}


def render_doctor(report: DoctorReport, fmt: str) -> str:
    if fmt == "json":
        checks = [{**asdict(c), "level": c.level.value} for c in report.checks]
        return json.dumps({"ok": not report.failed, "checks": checks}, indent=2) + "\n"
    lines = []
    for check in report.checks:
        lines.append(f"{_MARKS[check.level]}  {check.name}: {check.detail}")
        if check.hint and check.level is not Level.OK:
            lines.append(f"      hint: {check.hint}")
    failures = sum(1 for c in report.checks if c.level is Level.FAIL)
    lines += ["", f"{failures} problem(s) found." if failures else "All checks passed."]
    return "\n".join(lines) + "\n"


@click.command()
@project_path
@format_option("text json", "text for a terminal, json for machines.")
@click.option(
    "--max-seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=2.0,
    show_default=True,
    help="Slowest acceptable answer to a read, in seconds.",
)
@connection_options
@pass_cli
def doctor(
    run: CliContext, *, path: Path, fmt: str, max_seconds: float, connection: ConnectionOptions
) -> int:
    """Check the API key, the account and what the files refer to; exit 1 if anything is wrong.

    Checks that the key is accepted (a 401/403 means a wrong key, or a plan without API
    access: Pro or higher), how fast Smartlead answers, which rate-limit headers it sends,
    that every mailbox the files name exists, and each declared campaign's status and lead
    counts (one analytics read per campaign). Nothing is written.
    """
    report = DoctorReport()
    project = _check_files(report, path)
    seen: dict[str, str] = {}

    def remember(response: httpx.Response) -> None:  # headers only: the URL carries the key
        seen.update({k: response.headers[k] for k in RATE_LIMIT_HEADERS if k in response.headers})

    today = datetime.now(timezone.utc).date()
    with open_provider(
        connection, project.tool, project_root=project.root, notices=run.stderr
    ) as provider:
        provider.client._http.event_hooks["response"].append(remember)
        check_account(
            provider,
            project.campaigns,
            max_seconds=max_seconds,
            headers_seen=lambda: seen,
            lifetime=Period(None, today),
            report=report,
        )
    click.echo(render_doctor(report, fmt), nl=False)
    failed = [c.name for c in report.checks if c.level is Level.FAIL]
    if failed:
        run.stderr.error(f"{len(failed)} check(s) failed: {', '.join(failed)}")
    return ExitCode.ERROR if failed else ExitCode.OK


def _check_files(report: DoctorReport, path: Path) -> DesiredProject:
    """The files' check in `report`; the project as loaded, problems or not. Without a project
    directory there is nothing to check the account against, nor a folder for local state."""
    project, problems = checked_project(path, ())
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if not project.root.is_dir():
        raise InputError(errors, f"no project at {path}; nothing was checked")
    if errors:
        report.add(
            "Files",
            Level.FAIL,
            f"{len(errors)} problem(s) in {path}",
            "run `smartlead-sync validate`",
        )
    else:
        report.add("Files", Level.OK, f"{len(project.campaigns)} campaign(s) in {path}")
    return project


COMMANDS: list[click.Command] = [doctor]
