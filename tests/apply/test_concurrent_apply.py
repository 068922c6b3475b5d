"""Two applies of one project at the same moment: never a duplicate campaign or webhook.

Two state folders stand in for two machines (no shared lock: only the Smartlead account is
shared); one state folder for two processes on one machine (the second waits for the lock).
Every run is a real process against the emulator over loopback HTTP.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartlead_sync.apply.lock import LOCK_FILE, project_lock
from smartlead_sync.localstate import state_file
from tests.apply.projects import write_project
from tests.apply.support import Served, apply_command_line, plan_now, served_emulator
from tests.cli_process import REPO_ROOT, CliZygote, warm_cli
from tests.conftest import CANARY_KEY, RunCli

pytestmark = pytest.mark.slow

TIME_SCALE = 200.0
ROUNDS = 10
CAMPAIGNS = 2


@pytest.fixture(scope="module")
def zygotes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CliZygote, CliZygote]]:
    """Two warm processes, so two `smartlead-sync` children can run at the same time."""
    with (
        warm_cli(tmp_path_factory.mktemp("zygote-a")) as first,
        warm_cli(tmp_path_factory.mktemp("zygote-b")) as second,
    ):
        yield first, second


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTLEAD_")}
    env.update(PYTHONPATH=str(REPO_ROOT), SMARTLEAD_API_KEY=CANARY_KEY)
    return env


def _apply_together(
    zygotes: tuple[CliZygote, CliZygote], projects: tuple[Path, Path], served: Served
) -> list[tuple[int | None, str]]:
    """Start one apply per project at once; (exit status, stderr) of each."""
    runs = []
    for zygote, project in zip(zygotes, projects, strict=True):
        argv = apply_command_line(project, served, "--auto-approve", "--lock-timeout", "60")
        err = project.parent / "apply.err"
        zygote.start(argv, out=project.parent / "apply.out", err=err, env=_env())
        runs.append((zygote, err))
    return [(zygote.finished(timeout=120), err.read_text()) for zygote, err in runs]


def _census(served: Served) -> tuple[Counter[str], Counter[str]]:
    """How many live campaigns carry each name, and how many webhooks each name per campaign."""
    with served.checks() as provider:
        campaigns = provider.list_campaigns()
        names = Counter(c.name for c in campaigns)
        hooks: Counter[str] = Counter()
        for campaign in campaigns:
            for hook in provider.client.list_webhooks(campaign.id):
                hooks[f"{campaign.name}/{hook['name']}"] += 1
    return names, hooks


def _race(
    zygotes: tuple[CliZygote, CliZygote], tmp_path: Path, *, campaigns: int, leads: int, rounds: int
) -> None:
    """Two machines apply the same project to one account at once, `rounds` times: every
    campaign and webhook exists once, and both projects then plan to nothing."""
    template = write_project(tmp_path / "template", campaigns=campaigns, leads=leads)
    for round_number in range(rounds):
        base = tmp_path / f"round-{round_number}"
        projects = (base / "laptop" / "campaigns", base / "ci" / "campaigns")
        for project in projects:
            shutil.copytree(template, project)
        with served_emulator(base / "account.sqlite3", time_scale=TIME_SCALE) as served:
            results = _apply_together(zygotes, projects, served)

            assert [code for code, _ in results] == [0, 0], "\n----\n".join(t for _, t in results)
            names, hooks = _census(served)
            assert set(names.values()) == {1} and len(names) == campaigns, names
            assert set(hooks.values()) == {1} and len(hooks) == campaigns, hooks
            with served.provider() as provider:
                for project in projects:
                    assert not plan_now(project, provider).has_changes


def test_two_machines_applying_at_once_never_duplicate(
    zygotes: tuple[CliZygote, CliZygote], tmp_path: Path
) -> None:
    _race(zygotes, tmp_path, campaigns=CAMPAIGNS, leads=5, rounds=ROUNDS)


WAVE = 5  # campaigns created in one wave and settled by one list after it
WAVE_ROUNDS = 4


def test_two_machines_creating_the_same_wave_of_campaigns_end_with_one_of_each(
    zygotes: tuple[CliZygote, CliZygote], tmp_path: Path
) -> None:
    _race(zygotes, tmp_path, campaigns=WAVE, leads=3, rounds=WAVE_ROUNDS)


def _wait_for_text(path: Path, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = path.read_text() if path.exists() else ""
        if text in found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared in {path}")


def test_a_second_apply_on_one_machine_waits_for_the_holder_it_names(
    zygotes: tuple[CliZygote, CliZygote], tmp_path: Path
) -> None:
    project = write_project(tmp_path / "repo" / "campaigns", campaigns=CAMPAIGNS, leads=5)
    with served_emulator(tmp_path / "account.sqlite3", time_scale=TIME_SCALE) as served:
        zygote, _ = zygotes
        err, out = tmp_path / "apply.err", tmp_path / "apply.out"
        with project_lock(project, timeout=0, notify=lambda _text: None) as holder:
            zygote.start(
                apply_command_line(project, served, "--auto-approve"), out=out, err=err, env=_env()
            )
            waiting = _wait_for_text(err, "waiting for the apply of")
            assert served.emulator.stats().log == ()  # nothing is read while it waits
        code = zygote.finished(timeout=120)

        assert f"pid {holder.pid} on {holder.host}, started {holder.started}" in waiting
        assert code == 0, err.read_text()
        names, hooks = _census(served)
        assert set(names.values()) == {1} and len(names) == CAMPAIGNS
        assert set(hooks.values()) == {1}


def test_an_apply_gives_up_after_the_lock_timeout_naming_the_holder(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "repo" / "campaigns", campaigns=1, leads=1)
    with project_lock(project, timeout=0, notify=lambda _text: None) as holder:
        result = run_cli(
            "apply",
            str(project),
            "--emulator",
            "--auto-approve",
            "--lock-timeout",
            "0.3",
            cwd=tmp_path,
        )

    assert result.returncode == 1
    assert "another apply of this project is running" in result.stderr
    assert f"pid {holder.pid} on {holder.host}" in result.stderr


def test_the_lock_of_a_killed_apply_is_taken_over(run_cli: RunCli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "repo" / "campaigns", campaigns=1, leads=1)
    dead = subprocess.Popen(["true"])
    dead.wait()
    record = {"pid": dead.pid, "host": socket.gethostname(), "started": "2026-01-01T00:00:00"}
    state_file(project, LOCK_FILE).write_text(json.dumps(record))

    result = run_cli("apply", str(project), "--emulator", "--auto-approve", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert f"took over the apply lock of pid {dead.pid}" in result.stderr
    assert "(no longer running)" in result.stderr
