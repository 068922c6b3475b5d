"""Which plan was reviewed for a commit on the default branch, found on GitHub.

The plan workflow keeps each pull request's plan as the artifact `smartlead-sync-plan-<head>`
(its head commit); when the apply on merge cannot run that plan, it keeps the plan it would run
instead as `smartlead-sync-replan-<commit>` and posts it for review. The reviewed plan of a
commit is the newest re-plan of that commit, else the plan of the pull request that merged it.
An artifact counts only if GitHub says its workflow run was for that very commit, in this
repository (not a fork), and has not expired: the name alone proves nothing.

Everything here but `find_reviewed_plan` is pure.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smartlead_sync.errors import ConfigError
from smartlead_sync.gitops.github_calls import GitHubRepository

PLAN_ARTIFACT_PREFIX = "smartlead-sync-plan-"
REPLAN_ARTIFACT_PREFIX = "smartlead-sync-replan-"
PLAN_MEMBER = "plan.json"  # the plan file inside the artifact's zip
MAX_ZIP_BYTES = 50_000_000
MAX_PLAN_BYTES = 50_000_000  # a plan file holds no lead data: far below this
SHA = re.compile(r"^[0-9a-f]{40}$")


def plan_artifact_name(head_sha: str) -> str:
    return PLAN_ARTIFACT_PREFIX + head_sha


def replan_artifact_name(commit: str) -> str:
    return REPLAN_ARTIFACT_PREFIX + commit


@dataclass(frozen=True, slots=True)
class PullRequest:
    number: int
    head_sha: str
    url: str


def merged_pull_request(pulls: Sequence[Mapping[str, Any]], commit: str) -> PullRequest | None:
    """The pull request whose merge made `commit` (merge, squash or rebase), if any."""
    for pull in pulls:
        head = pull.get("head")
        head_sha = head.get("sha") if isinstance(head, dict) else None
        number = pull.get("number")
        if (
            pull.get("merged_at")
            and pull.get("merge_commit_sha") == commit
            and isinstance(number, int)
            and isinstance(head_sha, str)
            and SHA.match(head_sha)
        ):
            return PullRequest(number, head_sha, str(pull.get("html_url") or ""))
    return None


@dataclass(frozen=True, slots=True)
class Artifact:
    id: int
    name: str
    created_at: str
    run_id: int | None


@dataclass(frozen=True, slots=True)
class ArtifactChoice:
    artifact: Artifact | None
    refused: tuple[str, ...] = ()  # why artifacts of the right name were not used


def choose_artifact(
    found: Sequence[Mapping[str, Any]], name: str, commit: str, repository_id: int
) -> ArtifactChoice:
    """The newest usable artifact called `name` whose run was for `commit` in this repository."""
    usable: list[Artifact] = []
    refused: list[str] = []
    for raw in found:
        if raw.get("name") != name or not isinstance(raw.get("id"), int):
            continue
        why = _refusal(raw, commit, repository_id)
        if why:
            refused.append(f"artifact {name} (id {raw['id']}) {why}")
            continue
        run = raw.get("workflow_run") or {}
        run_id = run.get("id") if isinstance(run.get("id"), int) else None
        usable.append(Artifact(raw["id"], name, str(raw.get("created_at") or ""), run_id))
    if not usable:
        return ArtifactChoice(None, tuple(refused))
    newest = max(usable, key=lambda a: (a.created_at, a.id))
    return ArtifactChoice(newest, tuple(refused))


def _refusal(raw: Mapping[str, Any], commit: str, repository_id: int) -> str | None:
    if raw.get("expired"):
        return f"expired on {raw.get('expires_at') or 'an unknown date'}"
    run = raw.get("workflow_run")
    if not isinstance(run, dict):
        return "does not say which workflow run made it"
    if run.get("head_sha") != commit:
        return f"was made by a run for commit {str(run.get('head_sha'))[:12]}, not {commit[:12]}"
    if run.get("repository_id") != repository_id or run.get("head_repository_id") != repository_id:
        return "was made by a run for another repository (a fork)"
    return None


def plan_text_from_zip(data: bytes, name: str) -> str:
    """The `plan.json` inside an artifact's zip, read with size caps (a zip can lie)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = next((i for i in archive.infolist() if i.filename == PLAN_MEMBER), None)
            if info is None:
                raise ConfigError(f"artifact {name} holds no {PLAN_MEMBER}", hint=_REPLAN_HINT)
            if info.file_size > MAX_PLAN_BYTES:
                raise ConfigError(f"artifact {name}: {PLAN_MEMBER} is larger than expected")
            with archive.open(info) as member:
                raw = member.read(MAX_PLAN_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ConfigError(f"artifact {name} is not a readable zip ({exc})") from None
    if len(raw) > MAX_PLAN_BYTES:
        raise ConfigError(f"artifact {name}: {PLAN_MEMBER} is larger than expected")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"artifact {name}: {PLAN_MEMBER} is not UTF-8 text") from None


_REPLAN_HINT = "the plan step of that run failed; see its log"


@dataclass(frozen=True)
class ReviewedPlan:
    plan_json: str
    artifact: Artifact
    origin: str  # "the pull request's plan" or "the plan posted by an earlier apply"


@dataclass(frozen=True)
class Lookup:
    """What GitHub holds about the review of `commit`."""

    commit: str
    pull_request: PullRequest | None
    reviewed: ReviewedPlan | None
    refused: tuple[str, ...] = ()

    def missing_reason(self) -> str:
        """Why there is no reviewed plan, for people (only when `reviewed` is None)."""
        if self.pull_request is None:
            why = (
                f"commit {self.commit[:12]} was not merged through a pull request, so no plan "
                "of it was reviewed"
            )
        else:
            why = (
                f"pull request #{self.pull_request.number} has no plan artifact for its head "
                f"commit {self.pull_request.head_sha[:12]} (its last plan run failed or was "
                "cancelled, or the artifact expired)"
            )
        return "; ".join([why, *self.refused])


def find_reviewed_plan(repo: GitHubRepository, commit: str) -> Lookup:
    """The reviewed plan of `commit` (see the module docstring), downloaded and unpacked."""
    repository_id = repo.repository_id()
    pull = merged_pull_request(repo.pulls_of_commit(commit), commit)
    candidates = [(replan_artifact_name(commit), commit, "the plan posted by an earlier apply")]
    if pull is not None:
        candidates.append(
            (plan_artifact_name(pull.head_sha), pull.head_sha, "the pull request's plan")
        )
    refused: list[str] = []
    for name, made_for, origin in candidates:
        choice = choose_artifact(repo.artifacts_named(name), name, made_for, repository_id)
        refused += choice.refused
        if choice.artifact is not None:
            data = repo.download_artifact(choice.artifact.id, MAX_ZIP_BYTES)
            reviewed = ReviewedPlan(plan_text_from_zip(data, name), choice.artifact, origin)
            return Lookup(commit, pull, reviewed, tuple(refused))
    return Lookup(commit, pull, None, tuple(refused))
