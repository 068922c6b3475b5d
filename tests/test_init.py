"""`smartlead-sync init`: a starter project that validates and plans at once, never overwriting."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from smartlead_sync.starter import WORKFLOWS, workflow_template
from tests.cli_process import REPO_ROOT
from tests.conftest import RunCli

STARTER = [
    *sorted(f".github/workflows/{name}" for name in WORKFLOWS),
    ".gitignore",
    ".pre-commit-config.yaml",
    "campaigns/.schema/campaign.schema.json",
    "campaigns/.schema/project.schema.json",
    "campaigns/leads/welcome.csv",
    "campaigns/smartlead-sync.yaml",
    "campaigns/welcome.yaml",
]


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".smartlead-sync" not in p.parts
    }


def test_init_writes_a_project_that_validates_plans_and_converges(
    run_cli: RunCli, tmp_path: Path
) -> None:
    made = run_cli("init", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert sorted(_files(tmp_path)) == STARTER
    next_steps = made.stdout.split("Next:\n")[1].splitlines()[:3]
    assert [line.strip() for line in next_steps] == [
        "smartlead-sync validate",
        "smartlead-sync plan --emulator",
        "smartlead-sync apply --emulator",
    ]

    validated = run_cli("validate", "--format", "json", cwd=tmp_path)
    assert validated.returncode == 0, validated.stdout
    report = json.loads(validated.stdout)
    assert (report["errors"], report["warnings"]) == (0, 0)
    planned = run_cli("plan", "--emulator", "--detailed-exitcode", cwd=tmp_path)
    assert planned.returncode == 2, planned.stderr
    assert "Plan: 1 to create, 3 leads to add" in planned.stdout
    # The README's quick start shows this plan's summary line as it really is.
    [summary] = [line for line in planned.stdout.splitlines() if line.startswith("Plan: ")]
    quick_start = (REPO_ROOT / "README.md").read_text(encoding="utf-8").split("\n```\n")[0]
    assert f"$ smartlead-sync plan --emulator\n...\n{summary}" in quick_start
    applied = run_cli("apply", "--emulator", "--auto-approve", cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    again = run_cli("plan", "--emulator", "--detailed-exitcode", ".", cwd=tmp_path / "campaigns")
    assert again.returncode == 0, again.stdout + again.stderr


def test_the_workflows_and_hooks_are_written(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("init", cwd=tmp_path).returncode == 0
    for name in WORKFLOWS:
        written = (tmp_path / ".github" / "workflows" / name).read_text()
        assert written == workflow_template(name)  # they install the lock, never a bare name
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]
    assert hooks["hooks"][0]["entry"] == "smartlead-sync validate campaigns/"
    ignored = (tmp_path / ".gitignore").read_text().splitlines()
    assert {"plan.json", "apply-report.json", ".smartlead-sync/"} <= set(ignored)


def test_init_into_another_directory_names_it_in_the_next_commands(
    run_cli: RunCli, tmp_path: Path
) -> None:
    made = run_cli("init", "repo", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "  smartlead-sync plan --emulator repo/campaigns\n" in made.stdout
    assert run_cli("validate", "repo/campaigns", cwd=tmp_path).returncode == 0


def test_init_over_a_project_writes_nothing_and_names_what_exists(
    run_cli: RunCli, tmp_path: Path
) -> None:
    assert run_cli("init", cwd=tmp_path).returncode == 0
    (tmp_path / "campaigns" / "welcome.yaml").write_text("name: Mine\n")
    before = _files(tmp_path)
    again = run_cli("init", cwd=tmp_path)
    assert again.returncode == 1
    assert "campaigns already holds a project" in again.stderr
    assert "campaigns/welcome.yaml" in again.stderr and "wrote nothing" in again.stderr
    assert _files(tmp_path) == before


def test_init_keeps_existing_files_and_adds_only_missing_ignore_entries(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / ".gitignore").write_text("node_modules/\nplan.json")  # no final newline
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "plan.yml").write_text("name: mine\n")
    made = run_cli("init", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert ".pre-commit-config.yaml exists, left as it is" in made.stdout
    assert ".github/workflows/plan.yml exists, left as it is" in made.stdout
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []\n"
    assert (tmp_path / ".github" / "workflows" / "plan.yml").read_text() == "name: mine\n"
    ignore = (tmp_path / ".gitignore").read_text().splitlines()
    assert ignore[:2] == ["node_modules/", "plan.json"]
    assert ignore.count("plan.json") == 1 and "apply-report.json" in ignore
    assert run_cli("init", "--help").returncode == 0


def test_validate_and_plan_without_a_project_point_at_init(run_cli: RunCli, tmp_path: Path) -> None:
    for args in (("validate",), ("plan", "--emulator")):
        proc = run_cli(*args, cwd=tmp_path)
        assert proc.returncode == 1
        said = proc.stdout + proc.stderr
        assert "no such directory: campaigns" in said and "smartlead-sync init" in said, said
        assert "Traceback" not in said
    assert list(tmp_path.iterdir()) == []  # nothing was created, not even local state


def test_a_project_without_campaign_files_is_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "smartlead-sync.yaml").write_text("settings: {rate_limit_profile: pro}\n")
    proc = run_cli("validate", str(tmp_path))
    assert proc.returncode == 1
    assert "error: no campaign files (*.yaml) found" in proc.stdout
    planned = run_cli("plan", "--emulator", str(tmp_path))
    assert planned.returncode == 1 and "no campaign files" in planned.stderr


def test_init_from_inside_a_repository_writes_at_its_root(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "docs").mkdir()
    made = run_cli("init", cwd=tmp_path / "docs")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "campaigns" / "smartlead-sync.yaml").is_file()
    assert (tmp_path / ".github" / "workflows").is_dir()
    assert not (tmp_path / "docs" / "campaigns").exists()
    assert run_cli("validate", cwd=tmp_path / "docs").returncode == 0


def test_init_inside_an_existing_project_writes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    assert run_cli("init", cwd=tmp_path).returncode == 0
    (tmp_path / "campaigns" / "leads" / "more").mkdir(parents=True)
    before = _files(tmp_path)
    for cwd in ("campaigns", ".github", "campaigns/leads/more"):
        again = run_cli("init", cwd=tmp_path / cwd)
        assert again.returncode == 1, (cwd, again.stdout)
        assert "already holds a project" in again.stderr and "wrote nothing" in again.stderr
    nested = run_cli("init", "more", cwd=tmp_path / "campaigns" / "leads")
    assert nested.returncode == 1
    assert "more lies inside the project" in nested.stderr
    assert "wrote nothing" in nested.stderr
    assert _files(tmp_path) == before
    assert run_cli("validate", cwd=tmp_path).returncode == 0
