"""CLI commands: `github pr-comment`, `github drift-issue`, `github summary`, `github last-applied`
and (in `github_apply`) `github apply-reviewed`, for GitHub Actions.

This module reads the variables GitHub Actions sets (GITHUB_TOKEN, GITHUB_REPOSITORY,
GITHUB_API_URL, GITHUB_EVENT_PATH, GITHUB_SERVER_URL, GITHUB_RUN_ID, GITHUB_SHA,
GITHUB_STEP_SUMMARY) and passes them down; nothing under `gitops/` touches the environment.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.cli.files import read_plan_file
from smartlead_sync.cli.lazy import LazyCommand, LazyGroup
from smartlead_sync.errors import ConfigError, ExitCode
from smartlead_sync.gitops.decisions import PlanOutcome
from smartlead_sync.gitops.github_api import DEFAULT_API_URL, github_http
from smartlead_sync.gitops.github_calls import GitHubRepository
from smartlead_sync.gitops.github_texts import (
    RunContext,
    drift_issue_body,
    pr_comment_body,
    step_summary_block,
)
from smartlead_sync.gitops.publish import publish_drift_issue, publish_pr_comment
from smartlead_sync.redaction import CREDENTIAL_VARIABLES, Secret, redact, register_secret
from smartlead_sync.render.text import render_text

_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_WORKFLOW = re.compile(r"^[A-Za-z0-9_.-]+\.ya?ml$")
_BODY_FILE = click.Path(dir_okay=False, path_type=Path)
_TEXT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@dataclass(frozen=True)
class ActionsEnvironment:
    """What GitHub Actions tells a step about its run, read once from the environment."""

    token: Secret | None
    repository: str | None
    api_url: str
    event: dict[str, Any]
    run: RunContext
    step_summary: Path | None
    ref_name: str | None = None

    @classmethod
    def from_environ(cls) -> ActionsEnvironment:
        env = os.environ
        for name in CREDENTIAL_VARIABLES:
            register_secret(env.get(name))
        repository = env.get("GITHUB_REPOSITORY") or None
        event = _read_event(env.get("GITHUB_EVENT_PATH"))
        server, run_id = env.get("GITHUB_SERVER_URL"), env.get("GITHUB_RUN_ID")
        run_url = f"{server}/{repository}/actions/runs/{run_id}" if server and run_id else None
        token = env.get("GITHUB_TOKEN")
        summary = env.get("GITHUB_STEP_SUMMARY")
        return cls(
            token=Secret(token) if token else None,
            repository=repository,
            api_url=env.get("GITHUB_API_URL") or DEFAULT_API_URL,
            event=event,
            run=RunContext(run_url, _head_sha(event) or env.get("GITHUB_SHA") or None),
            step_summary=Path(summary) if summary else None,
            ref_name=env.get("GITHUB_REF_NAME") or None,
        )

    def repo(self) -> GitHubRepository:
        if self.token is None:
            raise ConfigError(
                "GITHUB_TOKEN is not set",
                hint="in the workflow step, add `env: GITHUB_TOKEN: ${{ github.token }}`",
            )
        if self.repository is None or not _REPOSITORY.match(self.repository):
            raise ConfigError(
                f"GITHUB_REPOSITORY must be `owner/name`, got {self.repository!r}",
                hint="GitHub Actions sets it; outside Actions, export it yourself",
            )
        return GitHubRepository(github_http(self.api_url, self.token), self.repository)

    def pull_request_number(self) -> int:
        pull_request = self.event.get("pull_request")
        number = self.event.get("number")
        if isinstance(pull_request, dict):
            number = pull_request.get("number", number)
        if not isinstance(number, int):
            raise ConfigError(
                "this run is not for a pull request, so there is nothing to comment on",
                hint="run it from a `pull_request` workflow, or pass --pr NUMBER",
            )
        return number


def _read_event(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise ConfigError(f"cannot read the GitHub event file {path}: {exc}") from None
    return event if isinstance(event, dict) else {}


def _head_sha(event: dict[str, Any]) -> str | None:
    """The pull request's head commit: on `pull_request` runs GITHUB_SHA is a merge commit."""
    pull_request = event.get("pull_request")
    head = pull_request.get("head") if isinstance(pull_request, dict) else None
    sha = head.get("sha") if isinstance(head, dict) else None
    return sha if isinstance(sha, str) else None


def _read_body(path: Path | None) -> str:
    """The rendered plan, or "" when the plan step wrote nothing (it failed)."""
    if path is None or not path.is_file():
        return ""
    return redact(path.read_text(encoding="utf-8"))


# Commands whose modules import the apply engine, loaded only when they run.
_LAZY = {
    "apply-reviewed": LazyCommand(
        "smartlead_sync.cli.github_apply",
        "Apply the plan reviewed in the pull request that merged this commit.",
    ),
}


@click.group("github", cls=LazyGroup, lazy=_LAZY)
def github() -> None:
    """Publish plans on GitHub from a GitHub Actions job.

    See .github/workflows/ and the README section "Use it in CI".
    """


@github.command("pr-comment")
@click.option("--body-file", type=_BODY_FILE, required=True, help="markdown plan (plan.md)")
@click.option(
    "--plan-exit-code",
    type=click.IntRange(min=0),
    default=None,
    help="exit code of `plan --detailed-exitcode`; a failure posts a notice, not the plan",
)
@click.option("--pr", "pr_number", type=click.IntRange(min=1), help="default: this run's PR")
@click.option(
    "--plan",
    "plan_file",
    type=_TEXT_FILE,
    help="the saved plan (plan.json) kept for the apply on merge; the comment names its "
    "fingerprint",
)
@pass_cli
def pr_comment(
    run: CliContext,
    body_file: Path,
    plan_exit_code: int | None,
    pr_number: int | None,
    plan_file: Path | None,
) -> int:
    """Post the plan as the pull request's one sticky comment, updated on every push.

    Exits 0 when there is a plan to review (a plan apply would refuse, exit 3, is shown under a
    warning but does not fail the check) and 1 when the plan failed, after the comment says so.
    """
    actions = ActionsEnvironment.from_environ()
    number = pr_number or actions.pull_request_number()
    fingerprint = read_plan_file(plan_file).fingerprint if plan_file is not None else None
    body = redact(pr_comment_body(_read_body(body_file), actions.run, plan_exit_code, fingerprint))
    with actions.repo() as repo:
        published = publish_pr_comment(repo, number, body)
    run.stdout.print(f"{published.summary} {published.url}".rstrip())
    if plan_exit_code in (None, ExitCode.OK, ExitCode.CHANGES, ExitCode.BLOCKED):
        return ExitCode.OK
    run.stderr.error(f"the plan failed (exit {plan_exit_code}); see its log above")
    return ExitCode.ERROR


@github.command("drift-issue")
@click.option("--body-file", type=_BODY_FILE, help="markdown plan (plan.md); needed on drift")
@click.option(
    "--plan-exit-code",
    type=click.IntRange(min=0),
    required=True,
    help="exit code of `plan --detailed-exitcode`: 0 clean, 2 drift, 1 error",
)
@pass_cli
def drift_issue(run: CliContext, body_file: Path | None, plan_exit_code: int) -> int:
    """Open or update the one drift issue on drift; close it when clean.

    A failed plan (exit 1) leaves issues alone. Exits with the plan's exit code, so a scheduled
    job fails on drift.
    """
    actions = ActionsEnvironment.from_environ()
    outcome = PlanOutcome.from_exit_code(plan_exit_code)
    if outcome is PlanOutcome.FAILED:
        run.stderr.error(
            f"the plan failed (exit {plan_exit_code}), so drift is unknown; "
            "issues are left as they are. See the plan step's log."
        )
        return ExitCode.ERROR
    body = None
    if outcome is PlanOutcome.DRIFT:
        markdown = _read_body(body_file)
        if not markdown.strip():
            raise ConfigError("the plan shows drift but --body-file is missing or empty")
        body = redact(drift_issue_body(markdown, actions.run))
    with actions.repo() as repo:
        published = publish_drift_issue(repo, outcome, body, actions.run)
    run.stdout.print(f"{published.summary} {published.url}".rstrip())
    return plan_exit_code


def _workflow_file(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not _WORKFLOW.match(value):
        raise click.BadParameter("give a file name in .github/workflows/, such as apply.yml")
    return value


@github.command("last-applied")
@click.option(
    "--workflow",
    default="apply.yml",
    show_default=True,
    callback=_workflow_file,
    help="the apply workflow's file name in .github/workflows/",
)
@click.option("--branch", help="default: the branch of this run (GITHUB_REF_NAME)")
@pass_cli
def last_applied(run: CliContext, workflow: str, branch: str | None) -> None:
    """Print the commit of the last successful apply run (nothing if there is none).

    The drift check passes it to `plan --drift-base`, so that changes merged but not applied
    yet are not mistaken for changes made in Smartlead.
    """
    actions = ActionsEnvironment.from_environ()
    branch = branch or actions.ref_name
    if not branch:
        raise ConfigError("no branch: pass --branch (GitHub Actions sets GITHUB_REF_NAME)")
    with actions.repo() as repo:
        sha = repo.last_successful_run_sha(workflow, branch)
    if sha is None:
        run.stderr.print(f"no successful {workflow} run on {branch} yet")
        return
    click.echo(sha)


@github.command("summary")
@click.option("--text-file", type=_TEXT_FILE, help="a text plan or apply report")
@click.option(
    "--plan", "plan_file", type=_TEXT_FILE, help="a saved plan (plan.json), shown as text"
)
@click.option("--title", default="smartlead-sync", show_default=True, help="heading above it")
@pass_cli
def summary(run: CliContext, text_file: Path | None, plan_file: Path | None, title: str) -> None:
    """Append a text plan or report to the job summary ($GITHUB_STEP_SUMMARY).

    Outside GitHub Actions it prints what it would append.
    """
    if (text_file is None) == (plan_file is None):
        raise click.UsageError("give exactly one of --text-file and --plan")
    actions = ActionsEnvironment.from_environ()
    if plan_file is not None:
        plan = read_plan_file(plan_file)
        text = redact(render_text(plan, color=False, full=False))
    else:
        text = _read_body(text_file)
    block = step_summary_block(text, title)
    if actions.step_summary is None:
        run.stdout.print(block)
        return
    with actions.step_summary.open("a", encoding="utf-8") as stream:
        stream.write(redact(block))


COMMANDS: list[click.Command] = [github]
