"""The GitHub client waits out rate limits as GitHub documents them, within caps, and finds the
drift issue by its label. Against the fake GitHub, with the sleeps recorded instead of slept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from smartlead_sync.gitops.decisions import PlanOutcome
from smartlead_sync.gitops.github_api import GitHubError, github_http
from smartlead_sync.gitops.github_backoff import RetryPolicy
from smartlead_sync.gitops.github_calls import GitHubRepository
from smartlead_sync.gitops.github_texts import (
    DRIFT_LABEL,
    DRIFT_LABEL_DESCRIPTION,
    DRIFT_MARKER,
    RunContext,
)
from smartlead_sync.gitops.publish import publish_drift_issue, publish_pr_comment
from tests.gitops.fake_github import FakeGitHub

RUN = RunContext("https://github.com/acme/campaigns/actions/runs/7", "feedc0de" * 5)
NOW = 1_800_000_000.0
SECONDARY = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)


@pytest.fixture
def fake() -> FakeGitHub:
    return FakeGitHub()


@pytest.fixture
def slept() -> list[float]:
    return []


@pytest.fixture
def repo(fake: FakeGitHub, slept: list[float]) -> Iterator[GitHubRepository]:
    http = github_http("https://api.github.test", SecretStr(fake.token), transport=fake.transport())
    with GitHubRepository(
        http, fake.repository, policy=RetryPolicy(), sleep=slept.append, clock=lambda: NOW
    ) as repository:
        yield repository


def _comment(repo: GitHubRepository, fake: FakeGitHub) -> int:
    pr = fake.add_pull_request()
    publish_pr_comment(repo, pr, "<!-- smartlead-sync:plan -->\n## plan")
    return len(fake.comments_on(pr))


def test_a_secondary_limit_is_waited_out_for_retry_after_seconds(
    fake: FakeGitHub, repo: GitHubRepository, slept: list[float]
) -> None:
    fake.rate_limit_next(403, {"retry-after": "7"}, SECONDARY)
    assert _comment(repo, fake) == 1  # the write went through once
    assert slept == [7.0]


def test_an_exhausted_budget_waits_until_the_reset_time(
    fake: FakeGitHub, repo: GitHubRepository, slept: list[float]
) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 30)}
    fake.rate_limit_next(429, headers, "API rate limit exceeded for installation.")
    assert _comment(repo, fake) == 1
    assert slept == [31.0]  # until the reset, plus a second for clocks that differ


def test_a_limit_without_headers_waits_a_minute_then_longer(
    fake: FakeGitHub, repo: GitHubRepository, slept: list[float]
) -> None:
    fake.rate_limit_next(403, {}, SECONDARY, times=2)
    assert _comment(repo, fake) == 1
    assert slept == [60.0, 120.0]


def test_a_wait_beyond_the_cap_fails_at_once_as_a_rate_limit_not_a_permission(
    fake: FakeGitHub, repo: GitHubRepository, slept: list[float]
) -> None:
    fake.rate_limit_next(403, {"retry-after": "3600"}, SECONDARY)
    with pytest.raises(GitHubError) as caught:
        repo.list_comments(fake.add_pull_request())
    text = str(caught.value)
    assert "refused for a secondary rate limit after 1 try" in text
    assert "wait 3600 s more" in text and "run the job again later" in text
    assert "permission" not in text
    assert slept == []


def test_retries_stop_after_the_policy_attempts(
    fake: FakeGitHub, repo: GitHubRepository, slept: list[float]
) -> None:
    fake.rate_limit_next(429, {"retry-after": "1"}, SECONDARY, times=10)
    with pytest.raises(GitHubError) as caught:
        repo.list_open_issues()
    assert "after 4 tries" in str(caught.value)
    assert slept == [1.0, 1.0, 1.0]


def test_a_403_without_rate_limit_signs_is_still_a_missing_permission(
    fake: FakeGitHub, repo: GitHubRepository, slept: list[float]
) -> None:
    fake.rate_limit_next(403, {"x-ratelimit-remaining": "4999"}, "Resource not accessible")
    with pytest.raises(GitHubError) as caught:
        repo.list_open_issues()
    assert "issues: write" in str(caught.value)
    assert slept == []


def test_drift_issue_is_opened_with_its_label_created_first(
    fake: FakeGitHub, repo: GitHubRepository
) -> None:
    publish_drift_issue(repo, PlanOutcome.DRIFT, f"{DRIFT_MARKER}\ndrift", RUN)
    assert fake.labels[DRIFT_LABEL]["description"] == DRIFT_LABEL_DESCRIPTION
    writes = [r for r in fake.requests if not r.startswith("GET")]
    assert writes == [
        f"POST /repos/{fake.repository}/labels",
        f"POST /repos/{fake.repository}/issues",
    ]
    (issue,) = fake.open_issues()
    assert [label["name"] for label in issue["labels"]] == [DRIFT_LABEL]


def test_an_existing_label_is_not_created_again(fake: FakeGitHub, repo: GitHubRepository) -> None:
    fake.labels[DRIFT_LABEL] = {"name": DRIFT_LABEL, "color": "000000", "description": "ours"}
    publish_drift_issue(repo, PlanOutcome.DRIFT, f"{DRIFT_MARKER}\ndrift", RUN)
    assert f"POST /repos/{fake.repository}/labels" not in fake.requests
    assert fake.labels[DRIFT_LABEL]["description"] == "ours"


def test_drift_issue_is_found_by_label_without_reading_every_open_issue(
    fake: FakeGitHub, repo: GitHubRepository
) -> None:
    fake.max_page_size = 100
    for n in range(450):
        fake.add_issue(f"Feature request {n}", "unrelated")
    number = fake.add_issue("Smartlead drift", f"{DRIFT_MARKER}\nold", labels=(DRIFT_LABEL,))
    result = publish_drift_issue(repo, PlanOutcome.DRIFT, f"{DRIFT_MARKER}\nnew", RUN)
    assert result.summary == f"updated drift issue #{number}"
    assert fake.requests.count(f"GET /repos/{fake.repository}/issues") == 1


def test_a_marker_issue_without_the_label_is_not_the_drift_issue(
    fake: FakeGitHub, repo: GitHubRepository
) -> None:
    quoted = fake.add_issue("How does drift work?", f"{DRIFT_MARKER}\nquoted by a person")
    publish_drift_issue(repo, PlanOutcome.CLEAN, None, RUN)
    assert fake.issues[quoted]["state"] == "open"
