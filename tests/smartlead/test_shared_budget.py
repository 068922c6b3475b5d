"""One API key's rate budget shared by the processes of one machine (a file in the state folder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.redaction import Secret
from smartlead_sync.smartlead.ratelimit import RateLimiter
from smartlead_sync.smartlead.shared_budget import SharedCalls, budget_file
from smartlead_sync.tool_settings import Bucket, RateLimits, Window
from tests.apply.projects import write_project
from tests.apply.support import apply_now
from tests.conftest import CANARY_KEY, RunCli
from tests.emulated import UNLIMITED, provider_on

TWO_PER_SECOND = RateLimits({Bucket.GLOBAL: (Window(2, 1.0),)})


class FakeTime:
    """One wall clock for every 'process' of a test; sleeping moves it on."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_second_process_waits_for_the_calls_the_first_made(tmp_path: Path) -> None:
    clock = FakeTime()
    path = budget_file(tmp_path, Secret(CANARY_KEY), "https://example.test/api/v1")()
    first = RateLimiter(
        TWO_PER_SECOND, clock=clock, sleep=clock.sleep, peers=SharedCalls(path, wall=clock)
    )
    second = RateLimiter(
        TWO_PER_SECOND, clock=clock, sleep=clock.sleep, peers=SharedCalls(path, wall=clock)
    )
    for _ in range(2):
        with first.slot():
            pass

    with second.slot() as permit:
        pass

    assert permit.waited == pytest.approx(1.0, abs=0.01)  # its own window was empty
    assert clock.slept and sum(clock.slept) == pytest.approx(1.0, abs=0.01)


def test_calls_in_flight_in_another_process_hold_their_slots(tmp_path: Path) -> None:
    clock = FakeTime()
    path = tmp_path / "budget.json"
    other = SharedCalls(path, wall=clock)
    windows = [(Bucket.GLOBAL, Window(2, 1.0))]
    tokens = [other.reserve(windows)[0] for _ in range(2)]

    token, wait = SharedCalls(path, wall=clock).reserve(windows)

    assert token is None and wait > 0
    assert all(t is not None for t in tokens)


def test_the_file_is_named_by_a_digest_and_never_holds_the_key(tmp_path: Path) -> None:
    where = budget_file(tmp_path, Secret(CANARY_KEY), "https://example.test/api/v1")
    assert not (tmp_path / ".smartlead-sync").exists()  # made by the first call only
    calls = SharedCalls(where)
    token, _ = calls.reserve([(Bucket.GLOBAL, Window(10, 2.0))])
    assert token is not None
    calls.done(token)

    path = where()
    assert path.parent == tmp_path / ".smartlead-sync"
    assert CANARY_KEY not in path.name and CANARY_KEY not in path.read_text()
    assert [e["b"] for e in json.loads(path.read_text())] == [["global"]]


def test_entries_of_a_dead_process_in_flight_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "budget.json"
    dead_pid = 2**22 + 12345  # above any pid this machine hands out
    path.write_text(json.dumps([{"pid": dead_pid, "b": ["global"], "at": None, "since": 0}]))

    token, wait = SharedCalls(path).reserve([(Bucket.GLOBAL, Window(1, 60.0))])

    assert token is not None and wait == 0


def test_plan_out_then_apply_plan_at_real_limits_draws_no_429(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Smartlead's documented 10 calls per 2 s, unscaled: the plan's last burst and the apply's
    first would make 11 in 2 s if the two processes paced apart."""
    project = write_project(tmp_path / "repo" / "campaigns", campaigns=5, leads=3, status="drafted")
    state = tmp_path / "account.sqlite3"
    setup = Emulator(EmulatorConfig(api_keys=(CANARY_KEY,), time_scale=1e6), state_path=state)
    with provider_on(setup, UNLIMITED, key=CANARY_KEY) as provider:
        assert apply_now(project, provider).exit_code == 0
    setup.close()
    campaign_file = project / "campaign-00.yaml"
    campaign_file.write_text(campaign_file.read_text().replace("Bumping this", "Following up"))
    emulator = Emulator(EmulatorConfig(api_keys=(CANARY_KEY,)), state_path=state)  # real limits
    server = emulator.serve()
    env = {"SMARTLEAD_API_KEY": CANARY_KEY}
    plan_file = tmp_path / "plan.json"
    try:
        connection = ("--base-url", server.base_url)
        planned = run_cli("plan", str(project), *connection, "--out", str(plan_file), env=env)
        applied = run_cli(
            "apply",
            str(project),
            *connection,
            "--plan",
            str(plan_file),
            "--journal",
            str(tmp_path / "journal.jsonl"),
            env=env,
        )
        stats = emulator.stats()
    finally:
        emulator.close()

    assert planned.returncode == 0, planned.stderr
    assert applied.returncode == 0, applied.stderr
    assert stats.total_requests >= 20  # two full windows: the budget was really exercised
    assert stats.rate_limited == 0
