"""The campaign files at a git commit: tracked files from the commit, ignored lead files as now."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from smartlead_sync.errors import ConfigError
from smartlead_sync.gitops.gitref import project_at_ref


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "config", "user.email", "dev@example.com")
    _git(tmp_path, "config", "user.name", "Dev")
    (tmp_path / ".gitignore").write_text("campaigns/leads/\n")
    (tmp_path / "campaigns" / "leads").mkdir(parents=True)
    (tmp_path / "campaigns" / "a.yaml").write_text("name: A\nstatus: drafted\n")
    (tmp_path / "campaigns" / "leads" / "a.csv").write_text("email\njo@example.com\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "first")
    (tmp_path / "campaigns" / "a.yaml").write_text("name: A\nstatus: paused\n")
    (tmp_path / "campaigns" / "b.yaml").write_text("name: B\n")  # not committed yet
    return tmp_path


def test_tracked_files_come_from_the_commit_and_ignored_ones_from_now(repo: Path) -> None:
    with project_at_ref(repo / "campaigns", "HEAD") as (base, sha):
        assert sha == _git(repo, "rev-parse", "HEAD")
        assert (base / "a.yaml").read_text() == "name: A\nstatus: drafted\n"
        assert (base / "leads" / "a.csv").read_text() == "email\njo@example.com\n"
        assert not (base / "b.yaml").exists()
    assert not base.exists()
    assert (repo / "campaigns" / "a.yaml").read_text() == "name: A\nstatus: paused\n"


def test_a_project_added_after_the_commit_is_empty_there(repo: Path) -> None:
    (repo / "later").mkdir()
    (repo / "later" / "c.yaml").write_text("name: C\n")
    with project_at_ref(repo / "later", "HEAD") as (base, _):
        assert base.is_dir()
        assert list(base.iterdir()) == []


def test_an_unknown_commit_says_how_to_fetch_history(repo: Path) -> None:
    with pytest.raises(ConfigError) as caught, project_at_ref(repo / "campaigns", "HEAD~5"):
        pass
    assert caught.value.message == "unknown git commit 'HEAD~5'"
    assert "fetch-depth" in str(caught.value.hint)


def test_an_option_is_not_taken_for_a_commit(repo: Path) -> None:
    with (
        pytest.raises(ConfigError, match="not a git commit"),
        project_at_ref(repo / "campaigns", "--output=/tmp/x"),
    ):
        pass


def test_outside_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "campaigns").mkdir()
    with (
        pytest.raises(ConfigError, match="git rev-parse failed"),
        project_at_ref(tmp_path / "campaigns", "HEAD"),
    ):
        pass
