"""The project's local state folder: beside the project file whatever the current directory,
and invisible to git in a user's repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from smartlead_sync.cli.options import find_project
from smartlead_sync.localstate import (
    APPLY_JOURNAL,
    EMULATOR_ACCOUNT,
    project_root,
    state_dir,
    state_file,
)
from tests.apply.projects import write_project
from tests.conftest import RunCli


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_state_file_creates_a_folder_that_ignores_itself(tmp_path: Path) -> None:
    path = state_file(tmp_path, "x.json")
    assert path == tmp_path / ".smartlead-sync" / "x.json"
    assert (tmp_path / ".smartlead-sync" / ".gitignore").read_text().splitlines()[-1] == "*"
    (tmp_path / ".smartlead-sync" / ".gitignore").write_text("kept\n")
    state_file(tmp_path, "y.json")  # an existing .gitignore is the user's: left as it is
    assert (tmp_path / ".smartlead-sync" / ".gitignore").read_text() == "kept\n"


def test_project_root_of_a_campaign_file_is_the_folder_of_its_project_file(
    tmp_path: Path,
) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=1, leads=1)
    nested = project / "clients" / "c.yaml"
    nested.parent.mkdir()
    nested.write_text("name: C\n")
    assert project_root(nested) == project
    assert project_root(project) == project


def test_apply_and_plan_share_one_account_from_any_directory_and_git_sees_no_state(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _git(tmp_path, "init", "-q")
    project = write_project(tmp_path / "campaigns", campaigns=1, leads=3)
    applied = run_cli("apply", "--emulator", "--auto-approve", cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert f"account in campaigns/.smartlead-sync/{EMULATOR_ACCOUNT}" in applied.stderr

    from_inside = run_cli("plan", "--emulator", "--detailed-exitcode", ".", cwd=project)
    assert from_inside.returncode == 0, from_inside.stdout + from_inside.stderr
    from_elsewhere = run_cli(
        "plan", "--emulator", "--detailed-exitcode", "..", cwd=project / "leads"
    )
    assert from_elsewhere.returncode == 0, from_elsewhere.stdout + from_elsewhere.stderr

    assert sorted(p.name for p in tmp_path.iterdir()) == [".git", "campaigns"]
    journal = state_dir(project) / APPLY_JOURNAL
    assert json.loads(journal.read_text().splitlines()[0])["event"] == "run_started"
    untracked = _git(tmp_path, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert untracked and not [line for line in untracked if ".smartlead-sync" in line]


def test_without_path_the_project_is_found_upwards_but_never_above_the_repository(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "repo" / "campaigns", campaigns=1, leads=1)
    (tmp_path / "repo" / ".git").mkdir()
    (project / "clients" / "deep").mkdir(parents=True)
    assert find_project(project / "clients" / "deep") == Path("../..")
    assert find_project(tmp_path / "repo") == Path("campaigns")
    assert find_project(project) == Path(".")
    (tmp_path / "repo" / "docs").mkdir()
    assert find_project(tmp_path / "repo" / "docs") == Path("../campaigns")

    # Inside another repository below a directory that holds campaigns/: not that project.
    inner = tmp_path / "repo" / "docs" / "other"
    (inner / ".git").mkdir(parents=True)
    assert find_project(inner) is None
    said = run_cli("validate", cwd=inner)
    assert said.returncode == 1 and "no such directory: campaigns" in said.stdout + said.stderr

    planned = run_cli("plan", "--emulator", cwd=project / "clients" / "deep")
    assert planned.returncode == 0, planned.stderr
    assert (project / ".smartlead-sync" / EMULATOR_ACCOUNT).is_file()
    assert not (project / "clients" / "deep" / ".smartlead-sync").exists()
