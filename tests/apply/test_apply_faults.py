"""Apply under faults and SIGKILL: a 10-campaign, 3,000-lead apply on an emulator that answers
10% of calls with 5xx, loses 5% of responses after committing, and sends 429 bursts, killed with
SIGKILL at 20 random points. After every kill: no duplicate campaign, no lead twice, nothing
undesired, the key never printed, and a re-run from that exact state converges (proved on a copy
of the account, while the chain of killed runs goes on from the original)."""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

from smartlead_sync.emulator import Faults
from tests.apply.projects import campaign_name, lead_email, write_project
from tests.apply.support import (
    Served,
    apply_command_line,
    apply_now,
    plan_now,
    provider_on,
    served_emulator,
)
from tests.apply.workers import HANDMADE, check_invariants
from tests.conftest import CANARY_KEY, REPO_ROOT

pytestmark = pytest.mark.slow

CAMPAIGNS, LEADS, KILLS = 10, 300, 20
SEED = 6_2024
TIME_SCALE = 400.0


def _faults(round_number: int) -> Faults:
    bursts = frozenset(n for start in (12, 70, 160) for n in range(start, start + 4))
    return Faults(
        seed=SEED + round_number,
        server_error_rate=0.10,
        lost_response_rate=0.05,
        force_429_on_calls=bursts,
    )


class Worker:
    """One helper process of `tests.apply.workers`, spoken to in JSON lines."""

    def __init__(self, role: str, workdir: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTLEAD_")}
        env.update(PYTHONPATH=str(REPO_ROOT), SMARTLEAD_API_KEY=CANARY_KEY)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.apply.workers", role],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=workdir,
            env=env,
        )
        self._buffer = b""

    def send(self, message: dict[str, Any]) -> None:
        stdin: IO[bytes] | None = self.proc.stdin
        assert stdin is not None
        stdin.write(json.dumps(message).encode() + b"\n")
        stdin.flush()

    def receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next answer, or None when `timeout` passes first."""
        stdout = self.proc.stdout
        assert stdout is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = None if deadline is None else max(deadline - time.monotonic(), 0)
            ready, _, _ = select.select([stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(stdout.fileno(), 65536)
            assert chunk, f"helper process ended: {self.proc.wait()}"
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


@dataclass
class Kill:
    mode: str  # "steps": after the k-th step starts; "requests": after k calls reach Smartlead
    k: int
    killed: bool = False
    executing: bool = False  # the killed run had started carrying the plan out


def _kill_plan() -> list[Kill]:
    rng = random.Random(SEED)
    return [
        Kill("requests", rng.randint(1, 60)) if i % 4 == 0 else Kill("steps", rng.randint(1, 5))
        for i in range(KILLS)
    ]


def _journal_tail(journal: Path, offset: int) -> str:
    if not journal.exists():
        return ""
    with journal.open(encoding="utf-8") as stream:
        stream.seek(offset)
        return stream.read()


def _trigger(kill: Kill, served: Served, journal: Path, offset: int) -> Callable[[], bool]:
    if kill.mode == "steps":
        return lambda: _journal_tail(journal, offset).count('"step_started"') >= kill.k
    return lambda: served.emulator.stats().total_requests >= kill.k


def _run_and_kill(zygote: Worker, pid: int, hit: Callable[[], bool]) -> tuple[bool, int]:
    """Poll until `hit()`, then SIGKILL the apply; (killed, exit code as the zygote saw it)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = zygote.receive(timeout=0.002)
        if answer is not None:
            return False, int(answer["exit"])
        if hit():
            os.kill(pid, signal.SIGKILL)
            answer = zygote.receive()
            assert answer is not None
            return True, int(answer["exit"])
    os.kill(pid, signal.SIGKILL)
    raise AssertionError("apply neither finished nor reached its kill point in 60 s")


def _snapshot(state_path: Path, copy: Path) -> Path:
    """A consistent copy of the account as the kill left it (SQLite's online backup)."""
    source, target = sqlite3.connect(state_path), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return copy


@pytest.fixture
def state_dir(tmp_path: Path) -> Iterator[Path]:
    """Account files on tmpfs when there is one: SQLite commits there skip the disk flush."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="smartlead-apply-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def served(state_dir: Path) -> Iterator[Served]:
    with served_emulator(state_dir / "account.sqlite3", time_scale=TIME_SCALE) as served:
        yield served


def _wanted() -> dict[str, set[str]]:
    return {campaign_name(c): {lead_email(c, r) for r in range(LEADS)} for c in range(CAMPAIGNS)}


def test_sigkill_at_random_points_under_faults_never_duplicates_and_always_converges(
    served: Served, tmp_path: Path, state_dir: Path
) -> None:
    project = write_project(tmp_path / "repo" / "campaigns", campaigns=CAMPAIGNS, leads=LEADS)
    journal = project.parent / "apply.journal.jsonl"
    with provider_on(served.base_url, TIME_SCALE) as provider:
        handmade = provider.read_campaign(provider.create_campaign(HANDMADE, None))
    argv = apply_command_line(project, served, "--auto-approve")
    kills = _kill_plan()
    injected = {"5xx": 0, "lost": 0, "429": 0}
    zygote, checker = Worker("zygote", tmp_path), Worker("checker", tmp_path)
    try:
        for number, kill in enumerate(kills):
            served.emulator.set_faults(_faults(number))
            served.emulator.reset_stats()
            offset = journal.stat().st_size if journal.exists() else 0
            out, err = tmp_path / f"run-{number}.out", tmp_path / f"run-{number}.err"
            zygote.send({"argv": argv, "out": str(out), "err": str(err)})
            started = zygote.receive()
            assert started is not None
            hit = _trigger(kill, served, journal, offset)
            kill.killed, code = _run_and_kill(zygote, int(started["pid"]), hit)
            tail = _journal_tail(journal, offset)
            kill.executing = '"run_started"' in tail and '"run_finished"' not in tail
            printed = out.read_text() + err.read_text()
            assert code == -signal.SIGKILL if kill.killed else code in (0, 1), printed
            assert CANARY_KEY not in printed + tail
            stats = served.emulator.stats()
            injected["5xx"] += stats.server_errors_injected
            injected["lost"] += stats.responses_lost
            injected["429"] += stats.rate_limited
            served.emulator.set_faults(Faults())
            with provider_on(served.base_url, TIME_SCALE) as provider:
                check_invariants(provider, _wanted(), handmade, complete=False)
            copy = _snapshot(served.state_path, state_dir / f"copy-{number}.sqlite3")
            checker.send({"copy": str(copy), "project": str(project)})
        verdicts = [checker.receive(timeout=120) for _ in kills]
        assert all(v is not None and v["ok"] for v in verdicts), verdicts
    finally:
        zygote.close()
        checker.close()

    served.emulator.set_faults(_faults(KILLS))
    final = apply_cli_run(argv)
    if final.returncode == 1:  # a truthful failure under faults: the report names it
        assert "failed" in final.stdout or "Residual drift" in final.stdout
    assert final.returncode in (0, 1), final.stderr
    assert CANARY_KEY not in final.stdout + final.stderr + journal.read_text()
    served.emulator.set_faults(Faults())
    with provider_on(served.base_url, TIME_SCALE) as provider:
        if final.returncode == 1:
            assert apply_now(project, provider, TIME_SCALE).exit_code == 0
        assert not plan_now(project, provider).has_changes
        check_invariants(provider, _wanted(), handmade, complete=True)
    assert all(injected.values()), injected
    mid_apply = sum(k.killed and k.executing for k in kills)
    assert mid_apply >= KILLS // 2, [(k.mode, k.k, k.killed, k.executing) for k in kills]


def apply_cli_run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """The last run, to completion, as a user would start it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTLEAD_")}
    env.update(PYTHONPATH=str(REPO_ROOT), SMARTLEAD_API_KEY=CANARY_KEY)
    return subprocess.run(
        [sys.executable, "-m", "smartlead_sync", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
