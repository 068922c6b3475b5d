"""The GitHub client and the publish step against an in-memory fake GitHub (httpx.MockTransport)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from smartlead_sync.gitops.decisions import PlanOutcome
from smartlead_sync.gitops.github_api import GitHubError, github_http
from smartlead_sync.gitops.github_calls import GitHubRepository
from smartlead_sync.gitops.github_texts import (
    DRIFT_LABEL,
    DRIFT_MARKER,
    GITHUB_BODY_LIMIT,
    PLAN_MARKER,
    RunContext,
    drift_issue_body,
    pr_comment_body,
)
from smartlead_sync.gitops.publish import publish_drift_issue, publish_pr_comment
from tests.gitops.fake_github import FakeGitHub
from tests.gitops.test_bodies import huge_plan_markdown, realistic_plan_markdown

RUN = RunContext("https://github.com/acme/campaigns/actions/runs/7", "feedc0de" * 5)


@pytest.fixture
def fake() -> FakeGitHub:
    return FakeGitHub()


@pytest.fixture
def repo(fake: FakeGitHub) -> Iterator[GitHubRepository]:
    http = github_http("https://api.github.test", SecretStr(fake.token), transport=fake.transport())
    with GitHubRepository(http, fake.repository) as repository:
        yield repository


def _plan_comments(fake: FakeGitHub, pr: int) -> list[str]:
    return [c["body"] for c in fake.comments_on(pr) if c["body"].startswith(PLAN_MARKER)]


def test_first_run_creates_the_comment_and_later_runs_update_it(
    fake: FakeGitHub, repo: GitHubRepository
) -> None:
    pr = fake.add_pull_request()
    fake.add_comment(pr, "Please double-check the schedule.")
    first = publish_pr_comment(repo, pr, pr_comment_body("## plan: 3 to update", RUN, 2))
    assert first.summary == "created the plan comment"
    second = publish_pr_comment(repo, pr, pr_comment_body("## plan: 1 to update", RUN, 2))
    assert second.summary == "updated the plan comment"
    assert second.url == first.url
    assert [b.splitlines()[1] for b in _plan_comments(fake, pr)] == ["## plan: 1 to update"]
    assert len(fake.comments_on(pr)) == 2  # the reviewer's comment is untouched


def test_the_comment_is_found_beyond_the_first_page(fake: FakeGitHub) -> None:
    fake.max_page_size = 2
    pr = fake.add_pull_request()
    for n in range(5):
        fake.add_comment(pr, f"review remark {n}")
    fake.add_comment(pr, f"{PLAN_MARKER}\nold plan")
    http = github_http("https://api.github.test", SecretStr(fake.token), transport=fake.transport())
    with GitHubRepository(http, fake.repository) as repo:
        result = publish_pr_comment(repo, pr, pr_comment_body("## new plan", RUN, 2))
    assert result.summary == "updated the plan comment"
    assert len(_plan_comments(fake, pr)) == 1
    assert fake.requests.count(f"GET /repos/{fake.repository}/issues/{pr}/comments") == 3


def test_duplicate_plan_comments_are_removed(fake: FakeGitHub, repo: GitHubRepository) -> None:
    pr = fake.add_pull_request()
    oldest = fake.add_comment(pr, f"{PLAN_MARKER}\nrun A")
    fake.add_comment(pr, f"{PLAN_MARKER}\nrun B")
    publish_pr_comment(repo, pr, pr_comment_body("## plan", RUN, 0))
    assert [c["id"] for c in fake.comments_on(pr)] == [oldest]


def test_a_huge_plan_is_accepted_by_github(fake: FakeGitHub, repo: GitHubRepository) -> None:
    pr = fake.add_pull_request()
    publish_pr_comment(repo, pr, pr_comment_body(huge_plan_markdown(), RUN, 2))
    (posted,) = _plan_comments(fake, pr)
    assert len(posted) <= GITHUB_BODY_LIMIT


def test_drift_opens_one_issue_then_updates_it(fake: FakeGitHub, repo: GitHubRepository) -> None:
    fake.add_pull_request()  # pull requests are listed among issues and must be ignored
    fake.add_issue("Bounce rate is high", "unrelated")
    body = drift_issue_body(realistic_plan_markdown(), RUN)
    opened = publish_drift_issue(repo, PlanOutcome.DRIFT, body, RUN)
    assert opened.summary == "opened the drift issue"
    again = publish_drift_issue(repo, PlanOutcome.DRIFT, body.replace("+250", "+251"), RUN)
    drift = [i for i in fake.open_issues() if i["body"].startswith(DRIFT_MARKER)]
    assert len(drift) == 1
    assert again.summary == f"updated drift issue #{drift[0]['number']}"
    assert "+251" in drift[0]["body"]


def test_a_clean_plan_closes_the_drift_issue_with_a_comment(
    fake: FakeGitHub, repo: GitHubRepository
) -> None:
    number = fake.add_issue("Smartlead drift", f"{DRIFT_MARKER}\nold", labels=(DRIFT_LABEL,))
    result = publish_drift_issue(repo, PlanOutcome.CLEAN, None, RUN)
    assert result.summary == f"closed drift issue #{number}: no drift any more"
    assert fake.issues[number]["state"] == "closed"
    assert fake.issues[number]["state_reason"] == "completed"
    (comment,) = fake.comments_on(number)
    assert "matches the repository again" in comment["body"]


def test_duplicate_drift_issues_are_closed_as_not_planned(
    fake: FakeGitHub, repo: GitHubRepository
) -> None:
    kept = fake.add_issue("Smartlead drift", f"{DRIFT_MARKER}\na", labels=(DRIFT_LABEL,))
    extra = fake.add_issue("Smartlead drift", f"{DRIFT_MARKER}\nb", labels=(DRIFT_LABEL,))
    publish_drift_issue(repo, PlanOutcome.DRIFT, f"{DRIFT_MARKER}\nnew", RUN)
    assert fake.issues[kept]["state"] == "open"
    assert fake.issues[extra]["state_reason"] == "not_planned"
    assert f"duplicate of #{kept}" in fake.comments_on(extra)[0]["body"]


def test_a_missing_permission_is_explained_without_the_token(
    fake: FakeGitHub, repo: GitHubRepository
) -> None:
    fake.fail_writes_with = 403
    pr = fake.add_pull_request()
    with pytest.raises(GitHubError) as caught:
        publish_pr_comment(repo, pr, pr_comment_body("## plan", RUN, 2))
    text = str(caught.value)
    assert "answered 403: Resource not accessible by integration" in text
    assert "pull-requests: write" in text
    assert fake.token not in text


def test_a_refused_token_is_reported_without_it(fake: FakeGitHub) -> None:
    http = github_http(
        "https://api.github.test", SecretStr("ghs_WRONG-TOKEN-999"), transport=fake.transport()
    )
    with GitHubRepository(http, fake.repository) as repo, pytest.raises(GitHubError) as caught:
        repo.list_open_issues()
    assert "answered 401: Bad credentials" in str(caught.value)
    assert "WRONG-TOKEN" not in str(caught.value)


def test_the_last_successful_apply_run_gives_the_applied_commit(
    fake: FakeGitHub, repo: GitHubRepository
) -> None:
    assert repo.last_successful_run_sha("apply.yml", "main") is None
    fake.add_run("apply.yml", "main", "success", "a" * 40)
    fake.add_run("apply.yml", "main", "failure", "b" * 40)
    fake.add_run("apply.yml", "feature", "success", "c" * 40)
    fake.add_run("plan.yml", "main", "success", "d" * 40)
    assert repo.last_successful_run_sha("apply.yml", "main") == "a" * 40
