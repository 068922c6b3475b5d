"""Apply of 20 campaigns x 500 leads on the emulator at a compressed time scale, against the
minimum it needs and the rate-limit floor, side by side with a naive script.

Each side gets its own emulator process (`emulator serve`), as each would have its own
Smartlead account, so the two run at the same time without sharing a rate limit, and the
emulators' CPU does not slow the clients down. Targets: calls <= 1.05 x the minimum, wall <=
1.15 x the floor, zero 429s. SMARTLEAD_BENCH_SCALE multiplies the leads per campaign.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest

from smartlead_sync.apply.run import ApplyContext, apply_plan, minimum_calls
from smartlead_sync.desired import load_desired
from smartlead_sync.planning import make_plan
from smartlead_sync.settings import Bucket
from smartlead_sync.state import DesiredCampaign
from tests.apply.projects import write_project
from tests.benchmarks.conftest import Report
from tests.benchmarks.naive_upload import NaiveFigures, NaiveUploader
from tests.conftest import CANARY_KEY, REPO_ROOT
from tests.emulated import provider_at

pytestmark = pytest.mark.benchmark

CAMPAIGNS = 20
LEADS = round(500 * float(os.environ.get("SMARTLEAD_BENCH_SCALE", "1")))
TIME_SCALE = 25.0  # a minute of rate limit in 2.4 s


@dataclass
class EmulatorProcess:
    base_url: str
    proc: subprocess.Popen[str]

    def rate_limited(self) -> int:
        root = self.base_url.removesuffix("/api/v1")
        stats = httpx.get(f"{root}/_emulator/stats", params={"log": "0"}).json()
        return int(stats["rate_limited"])


@pytest.fixture
def emulators(tmp_path: Path) -> Iterator[tuple[EmulatorProcess, EmulatorProcess]]:
    """Two emulator processes, started together (each prints its URL once it listens)."""
    config = tmp_path / "emulator.json"
    config.write_text(json.dumps({"api_keys": [CANARY_KEY], "time_scale": TIME_SCALE}))
    command = [sys.executable, "-m", "smartlead_sync", "emulator", "serve", "--port", "0"]
    procs = [
        subprocess.Popen(
            [*command, "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)),
        )
        for _ in range(2)
    ]
    try:
        urls = [_listening_url(proc) for proc in procs]
        yield EmulatorProcess(urls[0], procs[0]), EmulatorProcess(urls[1], procs[1])
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


def _listening_url(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    first = proc.stdout.readline()  # "Smartlead emulator listening on http://HOST:PORT/api/v1"
    return first.rsplit(" ", 1)[1].strip()


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def test_apply_calls_and_wall_time_against_the_floor_and_a_naive_script(
    emulators: tuple[EmulatorProcess, EmulatorProcess], tmp_path: Path, report: Report
) -> None:
    ours, theirs = emulators
    project = write_project(tmp_path / "campaigns", campaigns=CAMPAIGNS, leads=LEADS)
    desired = load_desired(project, env={})
    naive = NaiveFigures()
    with provider_at(ours.base_url, time_scale=TIME_SCALE, key=CANARY_KEY) as provider:
        plan = make_plan(provider, desired.campaigns, desired.tool)  # 2 reads: an empty account
        rival = threading.Thread(target=_run_naive, args=(theirs, desired.campaigns, naive))
        rival.start()
        ctx = ApplyContext(provider, desired.tool, time_scale=TIME_SCALE)
        result = apply_plan(plan, desired.campaigns, ctx)
        rival.join()
    assert result.exit_code == 0 and result.converged, result.residual_drift

    minimum = minimum_calls(plan)[Bucket.GLOBAL]
    calls = result.totals.calls["global"]
    assert result.floor_seconds is not None
    floor, wall = result.floor_seconds, result.duration_seconds
    server_429s = ours.rate_limited()
    report(
        f"apply {CAMPAIGNS} campaigns x {LEADS} leads, strict limits at time scale "
        f"{TIME_SCALE:g}: floor {floor * TIME_SCALE:.0f} s real = {floor:.2f} s here "
        f"({minimum} calls: the plan's {plan.estimate.calls[Bucket.GLOBAL]} writes + 1 read-back)"
    )
    report(
        f"  smartlead-sync: {calls} calls ({_ratio(calls, minimum):.3f}x minimum), "
        f"wall {wall:.2f} s ({_ratio(wall, floor):.3f}x floor), "
        f"429s {result.totals.rate_limited} (server counted {server_429s}); "
        f"then {result.reread.total if result.reread else 0} reads to confirm convergence"
    )
    report(
        f"  naive script:   {naive.calls} calls ({_ratio(naive.calls, minimum):.3f}x minimum), "
        f"wall {naive.seconds:.2f} s ({_ratio(naive.seconds, floor):.3f}x floor), "
        f"429s {naive.rate_limited}"
    )
    if wall > 1.15 * floor:  # a figure to read, not a verdict: the machine may be busy
        report(f"  note: wall above the 1.15x floor target ({_ratio(wall, floor):.3f}x)")
    assert calls <= 1.05 * minimum
    assert result.totals.rate_limited == 0 and server_429s == 0


def _run_naive(
    emulator: EmulatorProcess, campaigns: Sequence[DesiredCampaign], into: NaiveFigures
) -> None:
    uploader = NaiveUploader(emulator.base_url, CANARY_KEY, time_scale=TIME_SCALE)
    try:
        figures = uploader.upload([_renamed(c) for c in campaigns])
    finally:
        uploader.close()
    into.calls, into.rate_limited, into.seconds = (
        figures.calls,
        figures.rate_limited,
        figures.seconds,
    )


def _renamed(campaign: DesiredCampaign) -> DesiredCampaign:
    """The naive script creates campaigns without looking: give them their own names."""
    return replace(campaign, state=replace(campaign.state, name=f"naive {campaign.state.name}"))
