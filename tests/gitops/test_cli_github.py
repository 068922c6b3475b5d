"""`smartlead-sync github ...` as a workflow step runs it: the GitHub Actions environment and a
fake GitHub over loopback HTTP; the tests about secrets run it as a real process."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from smartlead_sync.desired import load_desired
from smartlead_sync.gitops.github_texts import DRIFT_LABEL, DRIFT_MARKER, PLAN_MARKER
from smartlead_sync.plan.planning import make_plan
from tests.apply.projects import write_project
from tests.conftest import CANARY_KEY, FIXTURE_PROJECT, RunCli
from tests.emulated import new_emulator, provider_on
from tests.gitops.conftest import RunMain
from tests.gitops.fake_github import FakeGitHub, served_over_http
from tests.gitops.test_bodies import realistic_plan_markdown

HEAD_SHA = "c0ffee" * 6 + "beef"


@dataclass
class Actions:
    """A fake GitHub and the environment a workflow step would see."""

    fake: FakeGitHub
    env: dict[str, str]
    workdir: Path
    pr: int

    def write(self, name: str, text: str) -> str:
        (self.workdir / name).write_text(text)
        return str(self.workdir / name)


@pytest.fixture
def actions(tmp_path: Path) -> Iterator[Actions]:
    fake = FakeGitHub()
    pr = fake.add_pull_request()
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps({"number": pr, "pull_request": {"number": pr, "head": {"sha": HEAD_SHA}}})
    )
    with served_over_http(fake) as url:
        env = {
            "GITHUB_API_URL": url,
            "GITHUB_TOKEN": fake.token,
            "GITHUB_REPOSITORY": fake.repository,
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_RUN_ID": "4242",
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
            "SMARTLEAD_API_KEY": CANARY_KEY,
        }
        yield Actions(fake, env, tmp_path, pr)


def _assert_no_secret(actions: Actions, *texts: str) -> None:
    for text in texts:
        assert actions.fake.token not in text
        assert CANARY_KEY not in text


def test_pr_comment_posts_then_updates_one_comment(run_main: RunMain, actions: Actions) -> None:
    plan = actions.write("plan.md", realistic_plan_markdown())
    for _ in range(2):
        proc = run_main(
            "github", "pr-comment", "--body-file", plan, "--plan-exit-code", "2", env=actions.env
        )
        assert proc.returncode == 0, proc.stderr
    (comment,) = actions.fake.comments_on(actions.pr)
    assert comment["body"].startswith(PLAN_MARKER)
    assert "`c0ffeec`" in comment["body"]
    assert "https://github.com/acme/campaigns/actions/runs/4242" in comment["body"]
    assert "the plan comment is already up to date" in proc.stdout


def test_pr_comment_never_posts_the_api_key_or_the_token(run_cli: RunCli, actions: Actions) -> None:
    leaky = realistic_plan_markdown() + (
        f"\n- webhook: `https://hooks.example.com/in?api_key={CANARY_KEY}`"
        f"\n- note: key {CANARY_KEY} pasted by mistake\n"
    )
    plan = actions.write("plan.md", leaky)
    proc = run_cli("github", "pr-comment", "--body-file", plan, env=actions.env)
    assert proc.returncode == 0, proc.stderr
    (comment,) = actions.fake.comments_on(actions.pr)
    _assert_no_secret(actions, comment["body"], proc.stdout, proc.stderr)
    assert "pasted by mistake" in comment["body"]


def test_pr_comment_for_a_failed_plan_posts_a_notice_and_fails(
    run_main: RunMain, actions: Actions
) -> None:
    absent = str(actions.workdir / "absent.md")
    args = ("github", "pr-comment", "--body-file", absent, "--plan-exit-code", "1")
    proc = run_main(*args, env=actions.env)
    assert proc.returncode == 1
    assert "the plan failed (exit 1)" in proc.stderr
    (comment,) = actions.fake.comments_on(actions.pr)
    assert "plan failed" in comment["body"]


def test_pr_comment_for_a_blocked_plan_warns_and_passes(
    run_main: RunMain, actions: Actions
) -> None:
    plan = actions.write("plan.md", realistic_plan_markdown())
    proc = run_main(
        "github", "pr-comment", "--body-file", plan, "--plan-exit-code", "3", env=actions.env
    )
    assert proc.returncode == 0, proc.stderr
    assert "Blocked by a safety rule" in actions.fake.comments_on(actions.pr)[0]["body"]


def test_a_github_error_is_one_clear_line_without_the_token(
    run_cli: RunCli, actions: Actions
) -> None:
    actions.fake.fail_writes_with = 403
    plan = actions.write("plan.md", realistic_plan_markdown())
    proc = run_cli("github", "pr-comment", "--body-file", plan, env=actions.env)
    assert proc.returncode == 1
    assert "answered 403" in proc.stderr
    assert "Traceback" not in proc.stderr
    _assert_no_secret(actions, proc.stdout, proc.stderr)


def test_missing_token_is_a_configuration_error(run_main: RunMain, actions: Actions) -> None:
    plan = actions.write("plan.md", realistic_plan_markdown())
    env = {**actions.env, "GITHUB_TOKEN": ""}
    proc = run_main("github", "pr-comment", "--body-file", plan, env=env)
    assert proc.returncode == 1
    assert "GITHUB_TOKEN is not set" in proc.stderr
    assert actions.fake.requests == []


def test_drift_opens_an_issue_and_exits_2(run_main: RunMain, actions: Actions) -> None:
    plan = actions.write("plan.md", realistic_plan_markdown())
    proc = run_main(
        "github", "drift-issue", "--body-file", plan, "--plan-exit-code", "2", env=actions.env
    )
    assert proc.returncode == 2, proc.stderr
    (issue,) = actions.fake.open_issues()
    assert issue["body"].startswith(DRIFT_MARKER)
    assert "opened the drift issue" in proc.stdout


def test_clean_plan_closes_the_drift_issue_and_exits_0(run_main: RunMain, actions: Actions) -> None:
    number = actions.fake.add_issue(
        "Smartlead drift", f"{DRIFT_MARKER}\nold", labels=(DRIFT_LABEL,)
    )
    proc = run_main("github", "drift-issue", "--plan-exit-code", "0", env=actions.env)
    assert proc.returncode == 0, proc.stderr
    assert actions.fake.issues[number]["state"] == "closed"


def test_failed_plan_leaves_issues_alone_and_exits_1(run_main: RunMain, actions: Actions) -> None:
    actions.fake.add_issue("Smartlead drift", f"{DRIFT_MARKER}\nold", labels=(DRIFT_LABEL,))
    proc = run_main("github", "drift-issue", "--plan-exit-code", "1", env=actions.env)
    assert proc.returncode == 1
    assert "drift is unknown" in proc.stderr
    assert actions.fake.requests == []


def test_summary_appends_the_text_plan_to_the_job_summary(
    run_main: RunMain, actions: Actions
) -> None:
    Path(actions.env["GITHUB_STEP_SUMMARY"]).write_text("earlier step\n")
    text = actions.write("plan.txt", "~ campaign Re-engage cold 2024\n    ~ subject\n")
    proc = run_main("github", "summary", "--text-file", text, "--title", "Plan", env=actions.env)
    assert proc.returncode == 0, proc.stderr
    summary = Path(actions.env["GITHUB_STEP_SUMMARY"]).read_text()
    assert summary.startswith("earlier step\n### Plan\n\n```text\n~ campaign Re-engage cold 2024")


def test_summary_renders_a_saved_plan_as_text(run_main: RunMain, actions: Actions) -> None:
    project = load_desired(FIXTURE_PROJECT, env=dict(os.environ))
    with provider_on(new_emulator(), project.tool.rate_limits) as provider:
        plan = make_plan(provider, project.campaigns, project.tool)
    saved = actions.write("plan.json", plan.to_json())
    proc = run_main("github", "summary", "--plan", saved, "--title", "Plan", env=actions.env)
    assert proc.returncode == 0, proc.stderr
    summary = Path(actions.env["GITHUB_STEP_SUMMARY"]).read_text()
    assert summary.startswith("### Plan\n\n```text\n+ campaign ")
    assert "Plan: 3 to create" in summary


def test_summary_of_a_broken_plan_file_is_a_clear_error(
    run_main: RunMain, actions: Actions
) -> None:
    saved = actions.write("plan.json", '{"campaigns": []}')
    proc = run_main("github", "summary", "--plan", saved, env=actions.env)
    assert proc.returncode == 1
    assert "format version" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_last_applied_prints_the_commit_or_nothing(run_main: RunMain, actions: Actions) -> None:
    env = {**actions.env, "GITHUB_REF_NAME": "main"}
    none_yet = run_main("github", "last-applied", env=env)
    assert (none_yet.returncode, none_yet.stdout) == (0, "")
    actions.fake.add_run("apply.yml", "main", "success", HEAD_SHA)
    found = run_main("github", "last-applied", "--workflow", "apply.yml", env=env)
    assert (found.returncode, found.stdout) == (0, HEAD_SHA + "\n")
    bad = run_main("github", "last-applied", "--workflow", "../../x", env=env)
    assert bad.returncode == 1
    assert "Invalid value for '--workflow'" in bad.stderr


def test_pr_comment_names_the_fingerprint_of_the_plan_merging_applies(
    run_main: RunMain, actions: Actions
) -> None:
    folder = write_project(actions.workdir / "campaigns", campaigns=1, leads=2)
    project = load_desired(folder, env={})
    with provider_on(new_emulator(), project.tool.rate_limits) as provider:
        plan = make_plan(provider, project.campaigns, project.tool)
    saved = actions.write("plan.json", plan.to_json())
    body = actions.write("plan.md", realistic_plan_markdown())
    args = ("github", "pr-comment", "--body-file", body, "--plan-exit-code", "2", "--plan", saved)
    proc = run_main(*args, env=actions.env)
    assert proc.returncode == 0, proc.stderr
    (comment,) = actions.fake.comments_on(actions.pr)
    assert f"Merging applies exactly this plan (`{plan.fingerprint}`)" in comment["body"]


def test_apply_reviewed_is_listed_by_its_first_help_sentence_and_loads_when_named() -> None:
    import click

    from smartlead_sync.cli.github_commands import github
    from smartlead_sync.cli.lazy import LazyGroup

    assert isinstance(github, LazyGroup)
    command = github.get_command(click.Context(github), "apply-reviewed")
    assert command is not None
    assert github.lazy["apply-reviewed"].summary == command.get_short_help_str(limit=200)
