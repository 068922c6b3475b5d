"""Carry out the decisions of `decisions` on a GitHub repository."""

from __future__ import annotations

from dataclasses import dataclass

from smartlead_sync.gitops.decisions import (
    CommentAction,
    CommentDecision,
    IssueAction,
    IssueDecision,
    PlanOutcome,
    decide_drift_issue,
    decide_pr_comment,
)
from smartlead_sync.gitops.github_calls import GitHubRepository
from smartlead_sync.gitops.github_texts import (
    DRIFT_ISSUE_TITLE,
    DRIFT_LABEL,
    DRIFT_LABEL_COLOR,
    DRIFT_LABEL_DESCRIPTION,
    PLAN_MARKER,
    RunContext,
    drift_resolved_comment,
    duplicate_comment,
)


@dataclass(frozen=True, slots=True)
class Published:
    """What was done, with the page a person can open (empty when nothing was written)."""

    summary: str
    url: str = ""


def publish_pr_comment(
    repo: GitHubRepository, pr_number: int, body: str, marker: str = PLAN_MARKER
) -> Published:
    """Make `body` the one sticky comment of pull request `pr_number` that starts with `marker`
    (the plan comment by default)."""
    decision: CommentDecision = decide_pr_comment(repo.list_comments(pr_number), body, marker)
    what = "plan" if marker == PLAN_MARKER else "apply"
    match decision.action:
        case CommentAction.CREATE:
            result = Published(f"created the {what} comment", repo.create_comment(pr_number, body))
        case CommentAction.UPDATE:
            assert decision.comment_id is not None
            url = repo.update_comment(decision.comment_id, body)
            result = Published(f"updated the {what} comment", url)
        case CommentAction.KEEP:
            result = Published(f"the {what} comment is already up to date")
    for comment_id in decision.delete_ids:
        repo.delete_comment(comment_id)
    return result


def publish_drift_issue(
    repo: GitHubRepository, outcome: PlanOutcome, body: str | None, run: RunContext
) -> Published:
    """Open or update the one drift issue on drift, close it when clean; `body` needed on drift.
    The issue is found by its label (created with the first issue) and its hidden marker."""
    decision: IssueDecision = decide_drift_issue(repo.list_open_issues(DRIFT_LABEL), outcome)
    result = Published("no drift issue to change")
    match decision.action:
        case IssueAction.OPEN:
            assert body is not None
            repo.ensure_label(DRIFT_LABEL, DRIFT_LABEL_COLOR, DRIFT_LABEL_DESCRIPTION)
            url = repo.create_issue(DRIFT_ISSUE_TITLE, body, labels=(DRIFT_LABEL,))
            result = Published("opened the drift issue", url)
        case IssueAction.UPDATE:
            assert body is not None and decision.issue_number is not None
            url = repo.update_issue(decision.issue_number, body)
            result = Published(f"updated drift issue #{decision.issue_number}", url)
        case IssueAction.CLOSE:
            assert decision.issue_number is not None
            repo.create_comment(decision.issue_number, drift_resolved_comment(run))
            repo.close_issue(decision.issue_number)
            result = Published(f"closed drift issue #{decision.issue_number}: no drift any more")
        case IssueAction.NOTHING:
            pass
    _close_extra(repo, decision, run)
    return result


def _close_extra(repo: GitHubRepository, decision: IssueDecision, run: RunContext) -> None:
    for number in decision.close_numbers:
        if decision.action is IssueAction.CLOSE:
            repo.create_comment(number, drift_resolved_comment(run))
            repo.close_issue(number)
        else:
            assert decision.issue_number is not None
            repo.create_comment(number, duplicate_comment(decision.issue_number))
            repo.close_issue(number, duplicate=True)
