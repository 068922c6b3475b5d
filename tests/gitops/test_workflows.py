"""The workflow templates: valid for GitHub, free of high-severity zizmor findings, and calling
only commands and flags the CLI has. Both linters run offline as subprocesses."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import click
import pytest
import yaml

from smartlead_sync.cli import cli
from tests.cli_process import REPO_ROOT

WORKFLOWS = REPO_ROOT / ".github" / "workflows"
TEMPLATES = ("plan.yml", "apply.yml", "drift.yml", "guard.yml", "ab.yml")
# Only the A/B job pushes (its one promotions branch, for a pull request); no job writes main.
PUSHES = {"ab.yml"}
ALL_WORKFLOWS = (*TEMPLATES, "ci.yml", "release.yml")
FIXTURES = Path(__file__).parent / "fixtures"
STANDARD_ACTIONS = {"actions/checkout", "actions/setup-python", "actions/upload-artifact"}
_PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40})$")


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[dev]'")
    return found


MALFORMED = FIXTURES / "workflow-steps-not-a-list.yml"


@pytest.fixture(scope="module")
def schema_errors() -> dict[str, list[str]]:
    """check-jsonschema once over every workflow and the malformed fixture: file -> errors."""
    paths = [*(WORKFLOWS / name for name in ALL_WORKFLOWS), MALFORMED]
    command = [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
    command += ["--output-format", "json", *map(str, paths)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the malformed fixture fails
    report = json.loads(proc.stdout)
    errors: dict[str, list[str]] = {str(path): [] for path in paths}
    for error in [*report["errors"], *report["parse_errors"]]:
        best = error.get("best_deep_match") or {}
        errors[error["filename"]].append(f"{error['path']}: {error['message']} {best}")
    return errors


def _zizmor(path: Path) -> list[dict[str, Any]]:
    command = [_tool("zizmor"), "--offline", "--no-progress", "--format", "json", str(path)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert proc.stdout.strip(), proc.stderr
    findings: list[dict[str, Any]] = json.loads(proc.stdout)
    return findings


def _high(findings: list[dict[str, Any]]) -> list[str]:
    return [f["ident"] for f in findings if f["determinations"]["severity"] == "High"]


def _load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    return data


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads `on` as True
    return cast("dict[str, Any]", workflow.get("on", workflow.get(True)))


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_every_workflow_of_the_repository_is_checked() -> None:
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == sorted(ALL_WORKFLOWS)


@pytest.mark.parametrize("name", ALL_WORKFLOWS)
def test_workflow_matches_the_github_workflow_schema(
    name: str, schema_errors: dict[str, list[str]]
) -> None:
    assert schema_errors[str(WORKFLOWS / name)] == []


@pytest.mark.parametrize("name", ALL_WORKFLOWS)
def test_workflow_has_no_high_severity_zizmor_finding(name: str) -> None:
    assert _high(_zizmor(WORKFLOWS / name)) == []


@pytest.mark.parametrize(
    ("fixture", "finding"),
    [
        ("workflow-template-injection.yml", "template-injection"),
        ("workflow-unpinned-action.yml", "unpinned-uses"),
    ],
)
def test_zizmor_check_catches_a_high_severity_finding(fixture: str, finding: str) -> None:
    assert finding in _high(_zizmor(FIXTURES / fixture))


def test_schema_check_catches_a_malformed_workflow(schema_errors: dict[str, list[str]]) -> None:
    found = schema_errors[str(MALFORMED)]
    assert found
    assert "steps" in " ".join(found)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_uses_only_standard_actions_pinned_by_sha(name: str) -> None:
    text = (WORKFLOWS / name).read_text()
    for step in _steps(_load(name)):
        if "uses" not in step:
            continue
        pinned = _PINNED.match(step["uses"])
        assert pinned, f"{step['uses']} is not pinned to a full commit SHA"
        assert pinned["action"] in STANDARD_ACTIONS
        assert re.search(re.escape(step["uses"]) + r" # v\d+\.\d+\.\d+", text), "no version comment"
        if pinned["action"] == "actions/checkout":
            assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_grants_least_privilege_and_reads_only_the_smartlead_secret(name: str) -> None:
    workflow = _load(name)
    text = (WORKFLOWS / name).read_text()
    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        granted = job["permissions"]
        assert granted["contents"] == ("write" if name in PUSHES else "read")
        assert set(granted) <= {"contents", "pull-requests", "issues", "actions"}
        assert granted.get("actions", "read") == "read"
    assert set(re.findall(r"secrets\.(\w+)", text)) == {"SMARTLEAD_API_KEY"}
    for step in _steps(workflow):
        assert "${{" not in step.get("run", ""), f"expression inside a script: {step['run']!r}"


def test_plan_runs_on_pull_requests_touching_campaigns_and_can_comment() -> None:
    workflow = _load("plan.yml")
    assert _triggers(workflow)["pull_request"]["paths"] == ["campaigns/**"]
    assert workflow["jobs"]["plan"]["permissions"]["pull-requests"] == "write"
    scripts = "\n".join(step.get("run", "") for step in _steps(workflow))
    assert "github pr-comment" in scripts
    assert "github summary" in scripts


def test_apply_runs_one_at_a_time_and_is_never_cancelled() -> None:
    workflow = _load("apply.yml")
    assert _triggers(workflow)["push"] == {"branches": ["main"], "paths": ["campaigns/**"]}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    uploads = [s for s in _steps(workflow) if "upload-artifact" in s.get("uses", "")]
    assert uploads
    assert all(u["if"].startswith("${{ always()") for u in uploads)


def _upload(workflow: str, name_prefix: str) -> dict[str, Any]:
    (step,) = [
        s
        for s in _steps(_load(workflow))
        if "upload-artifact" in s.get("uses", "") and s["with"]["name"].startswith(name_prefix)
    ]
    return step


def test_plan_keeps_the_reviewed_plan_named_for_the_pull_requests_head_commit() -> None:
    from smartlead_sync.gitops.reviewed import PLAN_ARTIFACT_PREFIX, PLAN_MEMBER

    upload = _upload("plan.yml", PLAN_ARTIFACT_PREFIX)
    assert upload["with"]["name"] == (
        PLAN_ARTIFACT_PREFIX + "${{ github.event.pull_request.head.sha }}"
    )
    assert PLAN_MEMBER in upload["with"]["path"].split()
    assert upload["with"]["retention-days"] == 90
    (post,) = [s for s in _steps(_load("plan.yml")) if "github pr-comment" in s.get("run", "")]
    assert "--plan plan.json" in post["run"]  # the comment names the plan's fingerprint


def test_apply_applies_the_reviewed_plan_and_keeps_the_one_to_review_for_a_re_run() -> None:
    from smartlead_sync.gitops.reviewed import PLAN_MEMBER, REPLAN_ARTIFACT_PREFIX

    workflow = _load("apply.yml")
    granted = workflow["jobs"]["apply"]["permissions"]
    assert granted == {"actions": "read", "contents": "read", "pull-requests": "write"}
    (step,) = [s for s in _steps(workflow) if "github apply-reviewed" in s.get("run", "")]
    assert "--replan-out replan.json" in step["run"]
    assert set(step["env"]) >= {"SMARTLEAD_API_KEY", "GITHUB_TOKEN"}
    assert "smartlead-sync plan" not in "\n".join(s.get("run", "") for s in _steps(workflow))
    upload = _upload("apply.yml", REPLAN_ARTIFACT_PREFIX)
    assert upload["with"]["name"] == REPLAN_ARTIFACT_PREFIX + "${{ github.sha }}"
    assert upload["with"]["path"] == "replan.json"
    assert upload["with"]["overwrite"] is True  # a re-run of the run replaces it
    assert "hashFiles('replan.json')" in upload["if"]
    assert PLAN_MEMBER == "plan.json"  # what apply-reviewed reads back from either artifact


def test_drift_runs_on_a_schedule_and_manages_one_issue() -> None:
    workflow = _load("drift.yml")
    assert {"schedule", "workflow_dispatch"} <= set(_triggers(workflow))
    assert workflow["jobs"]["drift"]["permissions"]["issues"] == "write"
    scripts = "\n".join(step.get("run", "") for step in _steps(workflow))
    assert "--detailed-exitcode" in scripts
    assert "github drift-issue" in scripts


def _invocations(script: str) -> list[tuple[list[str], set[str]]]:
    """Each `smartlead-sync ...` in a script: its command path and the long options it passes,
    including those gathered in a bash `args=(...)` array."""
    array_options = set(
        re.findall(r"(--[a-z-]+)", " ".join(re.findall(r"args\+?=\((.*?)\)", script)))
    )
    found = []
    lines = script.replace("\\\n", " ").splitlines()
    lines += [inner for line in lines for inner in re.findall(r"\$\(([^)]*)\)", line)]
    for line in lines:
        if "smartlead-sync" not in line:  # e.g. a jq filter, which need not split like shell
            continue
        words = list(shlex.shlex(line, posix=True, punctuation_chars=True))
        if "smartlead-sync" not in words or words[0] == "#":
            continue
        words = words[words.index("smartlead-sync") + 1 :]
        end = next((i for i, w in enumerate(words) if w in {">", ">>", "|", ";", "&&"}), None)
        words = words[:end]
        path = [w for w in words if not w.startswith("-")][:2]
        options = {w.split("=")[0] for w in words if w.startswith("--")}
        if "${args[@]}" in line:
            options |= array_options
        found.append((path, options))
    return found


def _resolve(path: list[str]) -> click.Command | None:
    ctx = click.Context(cli)
    command = cli.get_command(ctx, path[0])
    if isinstance(command, click.Group) and len(path) > 1:
        command = command.get_command(ctx, path[1])
    return command


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_calls_only_existing_commands_and_options(name: str) -> None:
    missing = []
    for step in _steps(_load(name)):
        for path, options in _invocations(step.get("run", "")):
            command = _resolve(path)
            if command is None:
                missing.append(" ".join(path))
                continue
            known = {opt for param in command.params for opt in param.opts}
            assert options <= known, f"{path}: unknown options {sorted(options - known)}"
    if missing:
        pytest.skip(f"not on this branch yet: {sorted(set(missing))}")


def _run_step(script: str, tmp_path: Path, exit_code: int, env: dict[str, str]) -> tuple[int, str]:
    """Run a step's script as GitHub does (`bash -eo pipefail`), with a stand-in CLI."""
    stub = tmp_path / "bin" / "smartlead-sync"
    stub.parent.mkdir(exist_ok=True)
    stub.write_text(f'#!/bin/sh\necho "smartlead-sync $*"\nexit {exit_code}\n')
    stub.chmod(0o755)
    path = f"{stub.parent}{os.pathsep}{os.environ['PATH']}"
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=tmp_path,
        env={"PATH": path, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return proc.returncode, proc.stdout


@pytest.mark.parametrize(
    ("code", "annotation"),
    [
        (0, None),
        (1, "::error title=smartlead-sync apply did not finish::"),
        (3, "::error title=Blocked by a safety rule::"),
        (4, "::error title=Not applied: the reviewed plan is stale or missing::"),
    ],
)
def test_apply_step_fails_loudly_with_the_apply_exit_code(
    tmp_path: Path, code: int, annotation: str | None
) -> None:
    (step,) = [s for s in _steps(_load("apply.yml")) if s.get("id") == "apply"]
    returned, output = _run_step(step["run"], tmp_path, code, {"ALLOW_DESTROY": ""})
    assert returned == code
    assert "smartlead-sync github apply-reviewed campaigns/ --report apply-report.json" in output
    assert "--allow-destroy" not in output
    if annotation:
        assert annotation in output
    else:
        assert "::error" not in output
    assert (tmp_path / "apply.txt").exists()


def test_apply_step_allows_destroy_only_when_ticked(tmp_path: Path) -> None:
    (step,) = [s for s in _steps(_load("apply.yml")) if s.get("id") == "apply"]
    _, output = _run_step(step["run"], tmp_path, 0, {"ALLOW_DESTROY": "true"})
    assert "--allow-destroy" in output


@pytest.mark.parametrize("base", ["", "a" * 40])
@pytest.mark.parametrize("code", [0, 1, 2])
def test_drift_plan_step_records_the_exit_code_and_the_base(
    tmp_path: Path, base: str, code: int
) -> None:
    (step,) = [s for s in _steps(_load("drift.yml")) if s.get("name") == "Plan"]
    outputs = tmp_path / "github_output"
    returned, _ = _run_step(
        step["run"], tmp_path, code, {"DRIFT_BASE": base, "GITHUB_OUTPUT": str(outputs)}
    )
    assert returned == 0  # the next step decides, from the recorded code
    assert outputs.read_text() == f"exit-code={code}\n"
    invoked = (tmp_path / "plan.md").read_text()
    assert ("--drift-base " + base in invoked) == bool(base)


@pytest.mark.parametrize("code", [0, 1, 2])
def test_pr_plan_step_records_the_exit_code_and_plans_against_the_base(
    tmp_path: Path, code: int
) -> None:
    (step,) = [s for s in _steps(_load("plan.yml")) if s.get("name") == "Plan"]
    outputs = tmp_path / "github_output"
    returned, _ = _run_step(step["run"], tmp_path, code, {"GITHUB_OUTPUT": str(outputs)})
    assert returned == 0
    assert outputs.read_text() == f"exit-code={code}\n"
    assert "--drift-base HEAD^1" in (tmp_path / "plan.md").read_text()


@pytest.mark.parametrize("planned", [True, False])
def test_pr_comment_step_names_the_saved_plan_only_when_there_is_one(
    tmp_path: Path, planned: bool
) -> None:
    (step,) = [s for s in _steps(_load("plan.yml")) if "github pr-comment" in s.get("run", "")]
    if planned:
        (tmp_path / "plan.json").write_text("{}")
    returned, output = _run_step(step["run"], tmp_path, 0, {"PLAN_EXIT_CODE": "2"})
    assert returned == 0
    (comment,) = [line for line in output.splitlines() if "pr-comment" in line]
    assert comment.startswith("smartlead-sync github pr-comment --body-file plan.md")
    assert ("--plan plan.json" in comment) is planned
