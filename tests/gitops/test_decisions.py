"""What to do on GitHub given what is there: pure decisions, tested directly."""

from __future__ import annotations

import pytest

from smartlead_sync.gitops.decisions import (
    Comment,
    CommentAction,
    CommentDecision,
    Issue,
    IssueAction,
    IssueDecision,
    PlanOutcome,
    decide_drift_issue,
    decide_pr_comment,
)
from smartlead_sync.gitops.github_texts import DRIFT_MARKER, PLAN_MARKER

BODY = f"{PLAN_MARKER}\n## plan: 1 to update"
HUMAN = Comment(11, "LGTM, but why is the subject changing?")
QUOTING = Comment(12, f"> {PLAN_MARKER}\n> ## plan: old\nthis looks wrong")


def test_no_plan_comment_yet_creates_one() -> None:
    assert decide_pr_comment([HUMAN, QUOTING], BODY) == CommentDecision(CommentAction.CREATE)


def test_the_plan_comment_is_updated_in_place() -> None:
    existing = [HUMAN, Comment(20, f"{PLAN_MARKER}\n## plan: old")]
    assert decide_pr_comment(existing, BODY) == CommentDecision(CommentAction.UPDATE, 20)


def test_an_identical_plan_comment_is_kept() -> None:
    assert decide_pr_comment([Comment(20, BODY)], BODY).action is CommentAction.KEEP


def test_extra_plan_comments_from_a_race_are_deleted_keeping_the_oldest() -> None:
    existing = [Comment(31, f"{PLAN_MARKER}\nb"), HUMAN, Comment(30, f"{PLAN_MARKER}\na")]
    assert decide_pr_comment(existing, BODY) == CommentDecision(CommentAction.UPDATE, 30, (31,))


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (0, PlanOutcome.CLEAN),
        (2, PlanOutcome.DRIFT),
        (3, PlanOutcome.DRIFT),
        (1, PlanOutcome.FAILED),
        (4, PlanOutcome.FAILED),
        (130, PlanOutcome.FAILED),
    ],
)
def test_plan_exit_code_to_outcome(code: int, outcome: PlanOutcome) -> None:
    assert PlanOutcome.from_exit_code(code) is outcome


DRIFT_ISSUE = Issue(7, "Smartlead drift", f"{DRIFT_MARKER}\nold plan")
OTHER_ISSUE = Issue(3, "Bounce rate is high", f"Seen in {DRIFT_MARKER} maybe?")


def test_drift_with_no_open_issue_opens_one() -> None:
    decision = decide_drift_issue([OTHER_ISSUE], PlanOutcome.DRIFT)
    assert decision == IssueDecision(IssueAction.OPEN)


def test_drift_with_an_open_issue_updates_it() -> None:
    decision = decide_drift_issue([OTHER_ISSUE, DRIFT_ISSUE], PlanOutcome.DRIFT)
    assert decision == IssueDecision(IssueAction.UPDATE, 7)


def test_a_clean_plan_closes_the_drift_issue() -> None:
    decision = decide_drift_issue([OTHER_ISSUE, DRIFT_ISSUE], PlanOutcome.CLEAN)
    assert decision == IssueDecision(IssueAction.CLOSE, 7)


def test_a_clean_plan_with_no_drift_issue_does_nothing() -> None:
    assert decide_drift_issue([OTHER_ISSUE], PlanOutcome.CLEAN).action is IssueAction.NOTHING


def test_a_failed_plan_never_touches_issues() -> None:
    decision = decide_drift_issue([DRIFT_ISSUE, Issue(9, "x", DRIFT_MARKER)], PlanOutcome.FAILED)
    assert decision == IssueDecision(IssueAction.NOTHING)


def test_duplicate_drift_issues_are_closed_keeping_the_oldest() -> None:
    issues = [Issue(12, "dup", f"{DRIFT_MARKER}\n"), DRIFT_ISSUE]
    assert decide_drift_issue(issues, PlanOutcome.DRIFT) == IssueDecision(
        IssueAction.UPDATE, 7, (12,)
    )
    assert decide_drift_issue(issues, PlanOutcome.CLEAN) == IssueDecision(
        IssueAction.CLOSE, 7, (12,)
    )
