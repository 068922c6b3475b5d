"""What to do on GitHub, decided from what is there and how the plan ended. No I/O.

There is one sticky plan comment per pull request and one open drift issue per repository:
each is recognised by the hidden marker its body starts with (see `github_texts`). Extra copies,
left by two runs that raced, are removed (comments) or closed as duplicates (issues).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from smartlead_sync.errors import ExitCode
from smartlead_sync.gitops.github_texts import DRIFT_MARKER, PLAN_MARKER


@dataclass(frozen=True, slots=True)
class Comment:
    """An issue or pull-request comment as GitHub lists it."""

    id: int
    body: str


@dataclass(frozen=True, slots=True)
class Issue:
    """An open issue as GitHub lists it (pull requests excluded)."""

    number: int
    title: str
    body: str


def carries_marker(body: str, marker: str) -> bool:
    """True for bodies we wrote: the marker is their first line, never merely quoted inside."""
    return body.lstrip().startswith(marker)


class CommentAction(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    KEEP = "keep"  # the sticky comment already says exactly this


@dataclass(frozen=True, slots=True)
class CommentDecision:
    action: CommentAction
    comment_id: int | None = None  # the sticky comment to update or keep
    delete_ids: tuple[int, ...] = ()  # extra sticky comments


def decide_pr_comment(
    existing: Sequence[Comment], body: str, marker: str = PLAN_MARKER
) -> CommentDecision:
    """Update the oldest sticky comment (or create one) and delete any others."""
    sticky = sorted((c for c in existing if carries_marker(c.body, marker)), key=lambda c: c.id)
    if not sticky:
        return CommentDecision(CommentAction.CREATE)
    kept, extra = sticky[0], tuple(c.id for c in sticky[1:])
    action = CommentAction.KEEP if kept.body == body else CommentAction.UPDATE
    return CommentDecision(action, kept.id, extra)


class PlanOutcome(str, Enum):
    """How a `plan --detailed-exitcode` run ended, as far as drift is concerned."""

    CLEAN = "clean"  # exit 0: live matches the repository
    DRIFT = "drift"  # exit 2 (changes), or 3 (changes a safety rule blocks)
    FAILED = "failed"  # exit 1 or anything else: nothing is known about drift

    @classmethod
    def from_exit_code(cls, code: int) -> PlanOutcome:
        if code == ExitCode.OK:
            return cls.CLEAN
        if code in (ExitCode.CHANGES, ExitCode.BLOCKED):
            return cls.DRIFT
        return cls.FAILED


class IssueAction(str, Enum):
    OPEN = "open"
    UPDATE = "update"
    CLOSE = "close"
    NOTHING = "nothing"


@dataclass(frozen=True, slots=True)
class IssueDecision:
    action: IssueAction
    issue_number: int | None = None  # the drift issue to update, or the first one to close
    close_numbers: tuple[int, ...] = ()  # further drift issues to close


def decide_drift_issue(open_issues: Sequence[Issue], outcome: PlanOutcome) -> IssueDecision:
    """Open, update or close the one drift issue; a failed plan never touches issues."""
    drift = sorted(
        (i for i in open_issues if carries_marker(i.body, DRIFT_MARKER)), key=lambda i: i.number
    )
    numbers = tuple(i.number for i in drift)
    match outcome:
        case PlanOutcome.FAILED:
            return IssueDecision(IssueAction.NOTHING)
        case PlanOutcome.CLEAN if not drift:
            return IssueDecision(IssueAction.NOTHING)
        case PlanOutcome.CLEAN:
            return IssueDecision(IssueAction.CLOSE, numbers[0], numbers[1:])
        case PlanOutcome.DRIFT if not drift:
            return IssueDecision(IssueAction.OPEN)
        case PlanOutcome.DRIFT:
            return IssueDecision(IssueAction.UPDATE, numbers[0], numbers[1:])
    raise AssertionError(outcome)  # pragma: no cover - the match is exhaustive
