"""The local state folder is committed-content too: no link in it (or as it) lets a pull
request steer a write, or a read, outside the project."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from smartlead_sync.apply.batchcap import load_cap, save_cap
from smartlead_sync.apply.journal import Journal
from smartlead_sync.apply.lock import project_lock
from smartlead_sync.errors import ConfigError
from smartlead_sync.localstate import (
    APPLY_JOURNAL,
    APPLY_LOCK,
    EMULATOR_ACCOUNT,
    SQLITE_SIDECARS,
    open_state,
    read_state,
    state_dir,
    state_file,
)
from smartlead_sync.plan.refusals import RefusalRecord
from smartlead_sync.redaction import Secret
from smartlead_sync.smartlead.shared_budget import SharedCalls, budget_file
from smartlead_sync.tool_settings import Bucket, Window
from tests.apply.projects import write_project
from tests.conftest import CANARY_KEY, RunCli

BASE_URL = "https://example.test/api/v1"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def _linked_folder(tmp_path: Path, outside: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    state_dir(project).symlink_to(outside, target_is_directory=True)
    return project


def _linked_file(tmp_path: Path, name: str, target: Path) -> Path:
    project = tmp_path / "project"
    state_dir(project).mkdir(parents=True)
    (state_dir(project) / name).symlink_to(target)
    return project


def test_a_linked_state_folder_is_refused_by_every_reader_and_writer(
    tmp_path: Path, outside: Path
) -> None:
    project = _linked_folder(tmp_path, outside)
    attempts: list[Callable[[], object]] = [
        lambda: state_file(project, EMULATOR_ACCOUNT, sidecars=SQLITE_SIDECARS),
        lambda: open_state(project, APPLY_LOCK),
        lambda: read_state(project, "lead-batch-cap.json"),
        lambda: load_cap(project, BASE_URL),
        lambda: RefusalRecord(project, "acct").load(),
        lambda: RefusalRecord(project, "acct").update({1: {"a@b.test": "blocked"}}, {}),
        lambda: SharedCalls(budget_file(project, Secret(CANARY_KEY), BASE_URL)).reserve(
            [(Bucket.GLOBAL, Window(10, 2.0))]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ConfigError, match=r"\.smartlead-sync is a symbolic link") as caught:
            attempt()
        assert caught.value.hint is not None and "remove the link" in caught.value.hint
    with pytest.raises(ConfigError), project_lock(project, timeout=0, notify=print):
        pass
    assert list(outside.iterdir()) == []  # not even the folder's .gitignore


@pytest.mark.parametrize(
    "name",
    [APPLY_LOCK, "lead-batch-cap.json", "refused-acct.json", "ratelimit-x.json", APPLY_JOURNAL],
)
def test_a_linked_state_file_is_never_written_through(
    tmp_path: Path, outside: Path, name: str
) -> None:
    victim = outside / "victim.txt"
    victim.write_text("keep me\n")
    project = _linked_file(tmp_path, name, victim)
    with pytest.raises(ConfigError, match="is a symbolic link"):
        open_state(project, name).close()
    with pytest.raises(ConfigError, match="is a symbolic link"):
        read_state(project, name)
    with pytest.raises(ConfigError, match="is a symbolic link"):
        Journal.open(state_dir(project) / name, local_state=True)
    assert victim.read_text() == "keep me\n"


def test_each_writer_refuses_its_own_linked_file(tmp_path: Path, outside: Path) -> None:
    victim = outside / "victim.txt"
    victim.write_text("{}")
    project = _linked_file(tmp_path, "lead-batch-cap.json", victim)
    with pytest.raises(ConfigError):
        load_cap(project, BASE_URL)
    save_cap(project, BASE_URL, 200)  # a cache: not written, and the failure is not fatal
    for name in (APPLY_LOCK, "refused-acct.json", "ratelimit-x.json"):
        (state_dir(project) / name).symlink_to(victim)
    with pytest.raises(ConfigError), project_lock(project, timeout=0, notify=print):
        pass
    with pytest.raises(ConfigError):
        RefusalRecord(project, "acct").update({1: {"a@b.test": "blocked"}}, {})
    with pytest.raises(ConfigError):
        SharedCalls(state_dir(project) / "ratelimit-x.json").reserve(
            [(Bucket.GLOBAL, Window(10, 2.0))]
        )
    assert victim.read_text() == "{}"


def test_the_emulator_database_and_its_sidecars_may_not_be_links(
    tmp_path: Path, outside: Path
) -> None:
    for suffix in ("", *SQLITE_SIDECARS):
        target = outside / f"db{suffix}"
        target.write_bytes(b"")
        project = tmp_path / f"p{suffix}"
        state_dir(project).mkdir(parents=True)
        (state_dir(project) / f"{EMULATOR_ACCOUNT}{suffix}").symlink_to(target)
        with pytest.raises(ConfigError, match=f"{EMULATOR_ACCOUNT}{suffix} is a symbolic link"):
            state_file(project, EMULATOR_ACCOUNT, sidecars=SQLITE_SIDECARS)
        assert target.read_bytes() == b""


def test_a_fifo_or_directory_in_place_of_a_state_file_is_refused_without_waiting(
    tmp_path: Path,
) -> None:
    state_dir(tmp_path).mkdir()
    os.mkfifo(state_dir(tmp_path) / "fifo.json")
    (state_dir(tmp_path) / "dir.json").mkdir()
    for name in ("fifo.json", "dir.json"):
        with pytest.raises(ConfigError, match="is not a regular file"):
            read_state(tmp_path, name)
        with pytest.raises(ConfigError, match="is not a regular file"):
            open_state(tmp_path, name)


def test_a_state_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    state_dir(tmp_path).write_text("x")
    with pytest.raises(ConfigError, match="is not a directory"):
        open_state(tmp_path, APPLY_LOCK)


def test_a_linked_gitignore_is_left_alone_and_not_written_through(
    tmp_path: Path, outside: Path
) -> None:
    victim = outside / "ignored"
    project = _linked_file(tmp_path, ".gitignore", victim)
    with open_state(project, APPLY_LOCK) as handle:
        handle.write("x")
    assert not victim.exists()


def test_reading_creates_nothing(tmp_path: Path) -> None:
    assert read_state(tmp_path, "lead-batch-cap.json") is None
    assert load_cap(tmp_path, BASE_URL) is None
    assert RefusalRecord(tmp_path, "acct").load() == {}
    assert not state_dir(tmp_path).exists()


def test_plan_and_apply_refuse_a_committed_link_and_write_nothing_outside(
    run_cli: RunCli, tmp_path: Path, outside: Path
) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=1, leads=2)
    state_dir(project).symlink_to(outside, target_is_directory=True)
    for args in (("plan", "--emulator"), ("apply", "--emulator", "--auto-approve")):
        done = run_cli(*args, cwd=tmp_path)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "error: campaigns/.smartlead-sync is a symbolic link" in done.stderr
        assert "hint: remove the link (rm campaigns/.smartlead-sync)" in done.stderr
    real = run_cli(
        "plan",
        "--base-url",
        "http://127.0.0.1:9/api/v1",
        cwd=tmp_path,
        env={"SMARTLEAD_API_KEY": CANARY_KEY},
    )
    assert real.returncode == 1 and "is a symbolic link" in real.stderr
    assert list(outside.iterdir()) == []

    state_dir(project).unlink()
    state_dir(project).mkdir()
    journal = outside / "journal.txt"
    journal.write_text("")
    (state_dir(project) / APPLY_JOURNAL).symlink_to(journal)
    applied = run_cli("apply", "--emulator", "--auto-approve", cwd=tmp_path)
    assert applied.returncode == 1
    assert f"{APPLY_JOURNAL} is a symbolic link" in applied.stderr
    assert "Plan:" not in applied.stdout  # refused before Smartlead is read
    assert journal.read_text() == ""
    assert json.loads(json.dumps(sorted(p.name for p in outside.iterdir()))) == ["journal.txt"]
