"""`github apply-reviewed`, the apply on merge: it applies the plan the pull request showed, on
the emulator over loopback HTTP, with a fake GitHub holding the pull request and its artifacts.
A stale or missing reviewed plan writes nothing, posts the plan apply would run now and exits 4;
a re-run with that plan posted applies it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from smartlead_sync.gitops.apply_comment import APPLY_MARKER
from smartlead_sync.gitops.reviewed import plan_artifact_name, replan_artifact_name
from smartlead_sync.state import Lead, LeadPolicy
from tests.apply.projects import campaign_name, write_project
from tests.apply.support import Served, apply_now, served_emulator
from tests.conftest import CANARY_KEY
from tests.gitops.conftest import Ran, RunMain
from tests.gitops.fake_github import FakeGitHub, served_over_http

pytestmark = pytest.mark.slow

HEAD = "a1" * 20  # the pull request's head commit
MERGE = "b2" * 20  # the merge commit on main
OLDER = "c3" * 20  # an earlier head of the pull request
MERGE_REPLAN = replan_artifact_name(MERGE)
TIME_SCALE = 200.0


@dataclass
class Repo:
    """A campaigns repository already applied to an account, a pull request changing one
    subject, and the GitHub Actions environment of the apply job."""

    fake: FakeGitHub
    served: Served
    project: Path
    workdir: Path
    env: dict[str, str]
    pr: int

    def plan_json(self, run_main: RunMain) -> str:
        """What the plan workflow does for the pull request: `plan --out`, kept as text."""
        out = self.workdir / "pr-plan.json"
        ran = run_main(
            "plan", str(self.project), "--out", str(out), "--base-url", self.served.base_url,
            env={"SMARTLEAD_API_KEY": CANARY_KEY}, cwd=self.workdir,
        )  # fmt: skip
        assert ran.returncode == 0, ran.stderr
        return out.read_text()

    def keep_pr_plan(self, text: str, *, made_for: str = HEAD, name_for: str = HEAD) -> None:
        self.fake.add_artifact(
            plan_artifact_name(name_for), made_for, {"plan.json": text, "plan.md": "(plan)"}
        )

    def apply_reviewed(self, run_main: RunMain) -> Ran:
        self.served.emulator.reset_stats()
        return run_main(
            "github", "apply-reviewed", str(self.project), "--base-url", self.served.base_url,
            "--journal", str(self.workdir / "journal.jsonl"), "--time-scale", str(TIME_SCALE),
            env=self.env, cwd=self.workdir,
        )  # fmt: skip

    def writes(self) -> list[str]:
        return [e.route for e in self.served.emulator.stats().log if e.method != "GET"]

    def apply_comment(self) -> str:
        (comment,) = [
            c for c in self.fake.comments_on(self.pr) if c["body"].startswith(APPLY_MARKER)
        ]
        body: str = comment["body"]
        return body

    def live_id(self, index: int) -> int:
        with self.served.checks() as provider:
            return next(c.id for c in provider.list_campaigns() if c.name == campaign_name(index))


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repo]:
    project = write_project(tmp_path / "campaigns", campaigns=2, leads=3)
    settings = project / "smartlead-sync.yaml"
    settings.write_text(settings.read_text().replace("profile: strict", "profile: pro"))
    with served_emulator(tmp_path / "account.sqlite3", time_scale=TIME_SCALE) as served:
        with served.checks() as provider:
            assert apply_now(project, provider, TIME_SCALE).exit_code == 0
        first = project / "campaign-00.yaml"
        first.write_text(first.read_text().replace("Quick question", "A better question"))
        fake = FakeGitHub()
        pr = fake.add_pull_request()
        fake.merge_pull_request(pr, HEAD, MERGE)
        with served_over_http(fake) as url:
            env = {
                "GITHUB_API_URL": url,
                "GITHUB_TOKEN": fake.token,
                "GITHUB_REPOSITORY": fake.repository,
                "GITHUB_SHA": MERGE,
                "GITHUB_SERVER_URL": "https://github.com",
                "GITHUB_RUN_ID": "777",
                "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
                "SMARTLEAD_API_KEY": CANARY_KEY,
            }
            yield Repo(fake, served, project, tmp_path, env, pr)


def _no_secret(repo: Repo, *texts: str) -> None:
    for text in texts:
        assert CANARY_KEY not in text
        assert repo.fake.token not in text
        assert "SIGNED-URL-SECRET" not in text


def test_the_apply_on_merge_applies_the_plan_the_pull_request_showed(
    run_main: RunMain, repo: Repo
) -> None:
    reviewed = repo.plan_json(run_main)
    repo.keep_pr_plan(reviewed)

    ran = repo.apply_reviewed(run_main)

    assert ran.returncode == 0, ran.stderr
    fingerprint = json.loads(reviewed)["fingerprint"]
    assert f"applying the pull request's plan for {MERGE[:12]}" in ran.stderr
    assert fingerprint in ran.stderr
    assert (repo.workdir / "plan.json").read_text() == reviewed
    assert repo.writes()  # the subject change went out
    assert not json.loads(repo.plan_json(run_main))["has_changes"]
    comment = repo.apply_comment()
    assert "applied" in comment
    assert fingerprint in comment
    asked = repo.fake.requests
    assert f"GET /repos/acme/campaigns/commits/{MERGE}/pulls" in asked
    assert any(r.startswith("GET /_blobs/") for r in asked)  # downloaded without the token
    _no_secret(repo, ran.stdout, ran.stderr, comment)


def test_a_ui_change_since_review_posts_the_new_plan_fails_with_4_and_writes_nothing(
    run_main: RunMain, repo: Repo
) -> None:
    reviewed = repo.plan_json(run_main)
    repo.keep_pr_plan(reviewed)
    # In the campaign the pull request changes, a step it does not change is edited in the UI.
    repo.served.emulator.edit_step(repo.live_id(0), 2, email_body="<p>Edited in the UI</p>")

    ran = repo.apply_reviewed(run_main)

    assert ran.returncode == 4, ran.stderr
    assert repo.writes() == []
    assert "the saved plan is stale: what apply would do changed" in ran.stderr
    rerun = f"re-run this workflow run: it applies that plan (kept as the artifact {MERGE_REPLAN})"
    assert rerun in ran.stderr
    assert f"{campaign_name(0)}: ~ sequence: step 2.body (the text differs)" in ran.stderr
    replan = json.loads((repo.workdir / "replan.json").read_text())
    assert replan["fingerprint"] != json.loads(reviewed)["fingerprint"]
    comment = repo.apply_comment()
    assert "not applied, the plan changed since review" in comment
    assert f"`+` `{campaign_name(0)}: ~ sequence: step 2.body (the text differs)`" in comment
    assert replan["fingerprint"] in comment
    assert "Re-run jobs" in comment
    assert "https://github.com/acme/campaigns/actions/runs/777" in comment
    summary = Path(repo.env["GITHUB_STEP_SUMMARY"])
    assert "not applied" in summary.read_text()
    written = [repo.workdir / n for n in ("plan.json", "replan.json")]
    _no_secret(repo, ran.stdout, ran.stderr, comment, *(p.read_text() for p in [*written, summary]))

    # After review, the workflow kept replan.json as the re-plan artifact: a re-run applies it.
    repo.fake.add_artifact(
        replan_artifact_name(MERGE), MERGE, {"plan.json": json.dumps(replan, indent=2)}
    )
    again = repo.apply_reviewed(run_main)
    assert again.returncode == 0, again.stderr
    assert "applying the plan posted by an earlier apply" in again.stderr
    assert repo.writes()
    assert "apply: applied" in repo.apply_comment()  # the same comment, updated
    assert not json.loads(repo.plan_json(run_main))["has_changes"]


def test_the_plan_posted_for_a_stale_review_reads_everything_again(
    run_main: RunMain, repo: Repo
) -> None:
    reviewed = repo.plan_json(run_main)
    repo.keep_pr_plan(reviewed)
    # apply reads only what the reviewed plan changes; the next review must see all of it.
    repo.served.emulator.edit_step(repo.live_id(0), 2, email_body="<p>Edited in the UI</p>")
    repo.served.emulator.edit_step(repo.live_id(1), 2, email_body="<p>Also edited</p>")

    ran = repo.apply_reviewed(run_main)

    assert ran.returncode == 4, ran.stderr
    replan = json.loads((repo.workdir / "replan.json").read_text())
    changed = {c["name"] for c in replan["campaigns"] if c["changes"]}
    assert changed == {campaign_name(0), campaign_name(1)}


def test_live_movements_that_leave_the_changes_as_they_were_do_not_block(
    run_main: RunMain, repo: Repo
) -> None:
    reviewed = repo.plan_json(run_main)
    repo.keep_pr_plan(reviewed)
    first = repo.live_id(0)
    with repo.served.checks() as provider:  # a lead added by hand; the file does not prune
        provider.add_leads(first, [Lead("walk.in@elsewhere-example.com")], LeadPolicy())
    repo.served.emulator.record_send(first, "person00000.c00@lead-example.com")

    ran = repo.apply_reviewed(run_main)

    assert ran.returncode == 0, ran.stderr
    assert repo.writes()


def test_a_merge_whose_pull_request_has_no_plan_artifact_refuses_and_posts_the_plan(
    run_main: RunMain, repo: Repo
) -> None:
    repo.keep_pr_plan(repo.plan_json(run_main), made_for=OLDER, name_for=OLDER)  # an older push

    ran = repo.apply_reviewed(run_main)

    assert ran.returncode == 4, ran.stderr
    assert repo.writes() == []
    assert f"no reviewed plan for commit {MERGE[:12]}" in ran.stderr
    assert f"no plan artifact for its head commit {HEAD[:12]}" in ran.stderr
    assert "re-run this workflow run" in ran.stderr
    assert "not applied, no reviewed plan" in repo.apply_comment()
    assert (repo.workdir / "replan.json").exists()
    assert not (repo.workdir / "plan.json").exists()


def test_a_commit_pushed_without_a_pull_request_refuses(run_main: RunMain, repo: Repo) -> None:
    repo.env["GITHUB_SHA"] = OLDER

    ran = repo.apply_reviewed(run_main)

    assert ran.returncode == 4, ran.stderr
    assert repo.writes() == []
    assert "was not merged through a pull request" in ran.stderr
    assert not [c for c in repo.fake.comments.values() if c["body"].startswith(APPLY_MARKER)]
    assert "no reviewed plan" in Path(repo.env["GITHUB_STEP_SUMMARY"]).read_text()


@pytest.mark.parametrize(
    ("tamper", "said"),
    [
        ("other-commit", f"was made by a run for commit {OLDER[:12]}, not {HEAD[:12]}"),
        ("fork", "was made by a run for another repository (a fork)"),
        ("expired", "expired on"),
    ],
)
def test_an_artifact_not_made_for_the_head_commit_here_is_refused(
    run_main: RunMain, repo: Repo, tamper: str, said: str
) -> None:
    text = repo.plan_json(run_main)
    name = plan_artifact_name(HEAD)
    files = {"plan.json": text}
    if tamper == "other-commit":  # named for the head, made by a run for another commit
        repo.fake.add_artifact(name, OLDER, files)
    elif tamper == "fork":
        repo.fake.add_artifact(name, HEAD, files, run_repository_id=999)
    else:
        repo.fake.add_artifact(name, HEAD, files, expired=True)

    ran = repo.apply_reviewed(run_main)

    assert ran.returncode == 4, ran.stderr
    assert said in ran.stderr
    assert repo.writes() == []
    assert not any(r.startswith("GET /_blobs/") for r in repo.fake.requests)


def test_an_artifact_without_a_plan_file_is_a_clear_error(run_main: RunMain, repo: Repo) -> None:
    repo.fake.add_artifact(plan_artifact_name(HEAD), HEAD, {"plan.md": "only the comment"})

    ran = repo.apply_reviewed(run_main)

    assert ran.returncode == 1
    assert f"artifact {plan_artifact_name(HEAD)} holds no plan.json" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert repo.writes() == []


def test_a_reviewed_plan_a_safety_rule_blocks_says_so_on_the_pull_request(
    run_main: RunMain, repo: Repo
) -> None:
    second = repo.project / "campaign-01.yaml"
    text = second.read_text().replace("status: active", "status: stopped")
    second.write_text(text + "allow_stop: true\n")
    repo.keep_pr_plan(repo.plan_json(run_main))

    ran = repo.apply_reviewed(run_main)

    assert ran.returncode == 3, ran.stderr
    assert repo.writes() == []
    comment = repo.apply_comment()
    assert "did not finish (exit 3)" in comment
    assert "*allow destroy* ticked" in comment
