"""CLI command: `github apply-reviewed`, the apply on merge that runs only the reviewed plan.

It finds the pull request that merged this commit, fetches the plan its review showed (the plan
workflow's artifact for the pull request's head commit, or a plan an earlier apply of this
commit posted), checks GitHub made it for that commit, and hands it to `apply --plan`, with
every option and safeguard apply has. When apply finds the plan stale, or when no reviewed plan
exists, nothing is written: the plan apply would run now goes to `--replan-out` (the workflow
keeps it as the artifact a re-run applies), to the merged pull request and to the job summary,
and the command exits 4.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import click

from smartlead_sync.cli.account import opened_project
from smartlead_sync.cli.apply import apply_command
from smartlead_sync.cli.apply_review import StaleSavedPlan
from smartlead_sync.cli.connection import ConnectionOptions, connection_options
from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.cli.files import output_option, write_output
from smartlead_sync.cli.github_commands import ActionsEnvironment
from smartlead_sync.cli.options import project_path
from smartlead_sync.errors import ConfigError, ExitCode, StalePlanError, SyncError
from smartlead_sync.gitops.apply_comment import (
    APPLY_MARKER,
    applied_body,
    failed_body,
    missing_body,
    stale_body,
)
from smartlead_sync.gitops.github_calls import GitHubRepository
from smartlead_sync.gitops.publish import publish_pr_comment
from smartlead_sync.gitops.reviewed import (
    SHA,
    Lookup,
    ReviewedPlan,
    find_reviewed_plan,
    replan_artifact_name,
)
from smartlead_sync.plan.fingerprint import staleness
from smartlead_sync.plan.plan_file import plan_from_json
from smartlead_sync.plan.plan_model import SavedPlan
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.redaction import redact
from smartlead_sync.render.markdown import render_markdown
from smartlead_sync.render.since_review import since_review

_RERUN_HINT = (
    "review that plan, then re-run this workflow run: it applies that plan (kept as the "
    "artifact " + replan_artifact_name("{0}") + ") if nothing moved meanwhile"
)

# Options of this command that `apply` has too, passed on as they are.
_FORWARDED = ("path", "allow_destroy", "report_file", "journal_file", "connection")


@click.command("apply-reviewed")
@project_path
@click.option(
    "--allow-destroy",
    is_flag=True,
    help="Allow what a safety rule blocks (as `apply --allow-destroy`).",
)
@output_option("--report", "report_file", help="Also write the apply report as JSON here.")
@output_option("--journal", "journal_file", help="The apply journal (default: apply's).")
@output_option(
    "--plan-out",
    default=Path("plan.json"),
    show_default=True,
    help="Write the reviewed plan that is applied here.",
)
@output_option(
    "--replan-out",
    default=Path("replan.json"),
    show_default=True,
    help="When nothing is applied, write the plan apply would run now here; keep it as the "
    "artifact smartlead-sync-replan-<commit> so that a re-run applies it.",
)
@click.option("--commit", help="The merged commit (default: GITHUB_SHA).")
@connection_options
@pass_cli
def apply_reviewed(
    run: CliContext,
    path: Path,
    *,
    allow_destroy: bool,
    report_file: Path | None,
    journal_file: Path | None,
    plan_out: Path,
    replan_out: Path,
    commit: str | None,
    connection: ConnectionOptions,
) -> int:
    """Apply the plan reviewed in the pull request that merged this commit.

    Refuses, writing nothing, when what apply would do changed since that review, or when no
    reviewed plan exists for the commit (pushed without a pull request, or its plan artifact
    expired): the plan it would run now is posted on the pull request and in the job summary,
    and a re-run of the workflow applies that plan. Needs GITHUB_TOKEN with `actions: read`,
    `contents: read` and `pull-requests: write`.

    \b
    Exit codes: as `apply --plan`; 4 also when no reviewed plan exists (nothing written).
    """
    actions = ActionsEnvironment.from_environ()
    sha = _merged_commit(commit or actions.run.commit)
    with actions.repo() as repo:
        lookup = find_reviewed_plan(repo, sha)
        if lookup.reviewed is None:
            _refuse_missing(
                run, repo, actions, lookup, path=path, connection=connection, replan_out=replan_out
            )
        return _apply(
            run, repo, actions, lookup, lookup.reviewed, plan_out=plan_out, replan_out=replan_out
        )


def _apply(
    run: CliContext,
    repo: GitHubRepository,
    actions: ActionsEnvironment,
    lookup: Lookup,
    reviewed: ReviewedPlan,
    *,
    plan_out: Path,
    replan_out: Path,
) -> int:
    fp = _read_reviewed(reviewed).fingerprint
    write_output(plan_out, reviewed.plan_json)
    run.stderr.print(
        f"applying {reviewed.origin} for {lookup.commit[:12]} (artifact "
        f"{reviewed.artifact.name}, plan {fp})"
    )
    try:
        code = _invoke_apply(plan_out)
    except StaleSavedPlan as stale:
        _post_stale(run, repo, actions, lookup, stale=stale, replan_out=replan_out)
        raise StalePlanError(stale.message, hint=_RERUN_HINT.format(lookup.commit)) from None
    except SyncError as error:
        _tell_pull_request(
            repo, actions, lookup, reviewed=reviewed, fingerprint=fp, code=error.exit_code
        )
        raise
    _tell_pull_request(repo, actions, lookup, reviewed=reviewed, fingerprint=fp, code=code)
    return code


def _tell_pull_request(
    repo: GitHubRepository,
    actions: ActionsEnvironment,
    lookup: Lookup,
    *,
    reviewed: ReviewedPlan,
    fingerprint: str,
    code: int,
) -> None:
    """Make the pull request's apply comment say how the apply of its plan ended."""
    if lookup.pull_request is None:
        return
    if code == ExitCode.OK:
        body = applied_body(
            commit=lookup.commit,
            fingerprint=fingerprint,
            origin=reviewed.origin,
            run=actions.run,
        )
    else:
        body = failed_body(commit=lookup.commit, exit_code=code, run=actions.run)
    publish_pr_comment(repo, lookup.pull_request.number, redact(body), APPLY_MARKER)


def _merged_commit(value: str | None) -> str:
    if not value:
        raise ConfigError("no commit to apply: pass --commit SHA (GitHub Actions sets GITHUB_SHA)")
    if not SHA.match(value):
        raise ConfigError(f"--commit must be a full 40-hex commit SHA, got {value[:50]!r}")
    return value


def _read_reviewed(reviewed: ReviewedPlan) -> SavedPlan:
    try:
        return plan_from_json(reviewed.plan_json)
    except ConfigError as exc:
        raise ConfigError(
            f"artifact {reviewed.artifact.name}: {exc.message}",
            hint="re-run the plan workflow of the pull request, or see its log",
        ) from None


def _invoke_apply(plan_file: Path) -> int:
    """`apply --plan plan_file` with this command's options, every other apply option at its
    default: whatever apply checks and guards, a reviewed apply checks and guards too."""
    ctx = click.get_current_context()
    mine: dict[str, Any] = ctx.params
    forwarded = {name: mine[name] for name in _FORWARDED if mine.get(name) is not None}
    code = ctx.invoke(apply_command, **forwarded, plan_file=plan_file)
    return int(code) if isinstance(code, int) else ExitCode.OK


def _post_stale(
    run: CliContext,
    repo: GitHubRepository,
    actions: ActionsEnvironment,
    lookup: Lookup,
    *,
    stale: StaleSavedPlan,
    replan_out: Path,
) -> None:
    now = stale.rebuilt
    write_output(replan_out, now.to_json())
    body = stale_body(
        commit=lookup.commit,
        reviewed_fingerprint=stale.saved.fingerprint,
        reasons=staleness(stale.saved, now),
        found=since_review(stale.saved, now),
        markdown=render_markdown(now, full_plan_location=f"the {replan_out.name} artifact"),
        fingerprint=now.fingerprint,
        run=actions.run,
    )
    where = _publish(repo, actions, lookup, body)
    run.stderr.print(f"the plan apply would run now ({now.fingerprint}) is in {replan_out}{where}")


def _refuse_missing(
    run: CliContext,
    repo: GitHubRepository,
    actions: ActionsEnvironment,
    lookup: Lookup,
    *,
    path: Path,
    connection: ConnectionOptions,
    replan_out: Path,
) -> NoReturn:
    """Plan (read only), show that plan for review, and stop with exit 4."""
    with opened_project(run, path, (), connection) as (project, provider):
        now = make_plan(provider, project.campaigns, project.tool)
    write_output(replan_out, now.to_json())
    why = lookup.missing_reason()
    body = missing_body(
        commit=lookup.commit,
        why=why,
        markdown=render_markdown(now, full_plan_location=f"the {replan_out.name} artifact"),
        fingerprint=now.fingerprint,
        run=actions.run,
    )
    where = _publish(repo, actions, lookup, body)
    raise StalePlanError(
        f"not applied: there is no reviewed plan for commit {lookup.commit[:12]}: {why}. "
        f"Nothing was written. The plan apply would run now ({now.fingerprint}) is in "
        f"{replan_out}{where}.",
        hint=_RERUN_HINT.format(lookup.commit),
    )


def _publish(repo: GitHubRepository, actions: ActionsEnvironment, lookup: Lookup, body: str) -> str:
    """Post `body` as the pull request's apply comment (if a pull request merged the commit)
    and append it to the job summary; says where it went, for the log."""
    body = redact(body)
    places = []
    if lookup.pull_request is not None:
        publish_pr_comment(repo, lookup.pull_request.number, body, APPLY_MARKER)
        places.append(f"pull request #{lookup.pull_request.number}")
    if actions.step_summary is not None:
        with actions.step_summary.open("a", encoding="utf-8") as stream:
            stream.write(body + "\n")
        places.append("the job summary")
    return f", posted on {' and '.join(places)}" if places else ""


COMMANDS: list[click.Command] = [apply_reviewed]  # loaded by the `github` group when run
