"""The whole `smartlead-sync apply` command as a process against a naive sequential script as
another process, each on its own emulator served over loopback HTTP at the strict per-key
limits (10 per 2 s and 60 per 60 s), doing the same work: 1 campaign x 5,000 leads and
20 campaigns x 500 leads. smartlead-sync sends 400 leads per call (`lead_batch_size: 400`).
The naive script then runs twice, one process at a time: with 100 leads per call, as
Smartlead's help center and most guides advise (smartlead-api.md §5.2), the baseline the
target is measured against; and with 400, a naive script that already knows the cap.

Every process runs from compiled bytecode, as an installed package does (pip compiles it at
install time): the modules are compiled before the clock starts, so that an environment with
PYTHONDONTWRITEBYTECODE does not charge a compile to every run.

Minimum calls (what the work strictly needs): the list reads (campaign list and mailbox list
for the plan, one campaign list after the creates, which settles them against a concurrent run
and reads the new ids back before anything is written to them, one campaign list to verify, and
per webhook created the list of that campaign's webhooks that settles the create against a
concurrent run: no route lists webhooks across campaigns, smartlead-api.md §7.1), and per
campaign: create, settings, schedule, sequence, mailboxes, webhook, ceil(leads / 400) lead
uploads, status START, and one verification read (its sequence). The ratio without the webhook
lists is printed too. The floor is the least time those calls take at the limits (both windows
chained, estimate.duration_floor). Printed for each process: wall (process start to exit) /
floor, calls / minimum, 429s; and the plan's estimate against the measured wall. Targets for
smartlead-sync: wall <= 1.10 x floor and <= the naive (100 per call) wall, calls <= 1.05 x
minimum, no 429; only the counts are asserted.

Real time by default would take minutes (the 20 x 500 floor is 3 minutes): the default runs
both at 20x speed; SMARTLEAD_BENCH_REALTIME=1 runs them at real, unscaled limits.
"""

from __future__ import annotations

import compileall
import json
import math
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from smartlead_sync.plan.estimate import OVERHEAD_SECONDS, duration_floor
from smartlead_sync.tool_settings import RATE_LIMIT_PROFILES, Bucket
from tests.benchmarks.conftest import Report
from tests.benchmarks.served import (
    BATCH,
    REALTIME,
    TIME_SCALE,
    EmulatorProcess,
    apply_argv,
    bench_env,
    bench_project,
    emulator_processes,
    plan_estimate,
)
from tests.cli_process import REPO_ROOT

pytestmark = pytest.mark.benchmark

STRICT = RATE_LIMIT_PROFILES["strict"]
PROJECT_SETTINGS = "settings:\n  rate_limit_profile: strict\n  lead_batch_size: 400\n"


def _phases(stats: dict[str, object], started: float, ended: float) -> str:
    """Where the wall went, from the request log's arrival times (wall-clock seconds): before
    the first call (interpreter, imports, reading the files, the plan), from the first call to
    the last, and after it."""
    log = stats["log"]
    assert isinstance(log, list) and log
    first, last = float(log[0]["at"]), float(log[-1]["at"])
    return (
        f"start-up {first - started:.2f} s, first to last call {last - first:.2f} s, "
        f"after the last call {ended - last:.2f} s"
    )


NAIVE_BATCHES = (100, BATCH)  # the guides' batch, and the account's cap


@pytest.fixture(scope="module", autouse=True)
def _compiled_bytecode() -> None:
    """Compile the package and the naive script as `pip install` would, before any clock runs."""
    for path in (REPO_ROOT / "smartlead_sync", REPO_ROOT / "tests" / "benchmarks"):
        assert compileall.compile_dir(str(path), quiet=1, workers=1)


@pytest.fixture
def emulators(tmp_path: Path) -> Iterator[list[EmulatorProcess]]:
    """One emulator process (one account each) for smartlead-sync and one per naive run."""
    with emulator_processes(tmp_path, 1 + len(NAIVE_BATCHES)) as served:
        yield served


# The webhook list after each webhook create (smartlead/claims.py): one webhook per campaign.
WEBHOOK_CHECKS_PER_CAMPAIGN = 1


def minimum_calls(campaigns: int, leads: int) -> int:
    per_campaign = 7 + math.ceil(leads / BATCH) + 1  # 7 writes + uploads + 1 verification read
    return 4 + campaigns * (per_campaign + WEBHOOK_CHECKS_PER_CAMPAIGN)


def _run_apply(
    project: Path, emulator: EmulatorProcess
) -> tuple[float, tuple[float, float], dict[str, object]]:
    """Wall seconds, (start, end) as wall-clock times, and the JSON report."""
    argv = apply_argv(project, emulator.base_url)
    started, epoch = time.perf_counter(), time.time()
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=bench_env()
    )
    out, err = proc.communicate(timeout=1800)
    wall = time.perf_counter() - started
    assert proc.returncode == 0, (err[-2000:], out[-3000:])
    report: dict[str, object] = json.loads(out)
    return wall, (epoch, epoch + wall), report


@dataclass
class NaiveRun:
    """A naive script running as its own process; `finish` waits for it and reads its figures."""

    batch: int
    proc: subprocess.Popen[str]
    started: float
    wall: float = 0.0
    figures: dict[str, int] | None = None

    def finish(self) -> None:
        out, err = self.proc.communicate(timeout=1800)
        self.wall = time.perf_counter() - self.started
        assert self.proc.returncode == 0, err[-2000:]
        self.figures = json.loads(out)


def _start_naive(project: Path, emulator: EmulatorProcess, batch: int) -> NaiveRun:
    argv = [
        sys.executable,
        "-m",
        "tests.benchmarks.naive_upload",
        str(project),
        emulator.base_url,
        "--batch",
        str(batch),
        "--time-scale",
        str(TIME_SCALE),
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=bench_env(),
        cwd=REPO_ROOT,
    )
    return NaiveRun(batch, proc, started)


@pytest.mark.parametrize(("campaigns", "leads"), [(1, 5000), (20, 500)])
def test_apply_command_against_a_naive_script_at_the_strict_limits(
    emulators: list[EmulatorProcess],
    tmp_path: Path,
    report: Report,
    campaigns: int,
    leads: int,
) -> None:
    ours, *theirs = emulators
    project = bench_project(tmp_path / "campaigns", campaigns, leads, PROJECT_SETTINGS)
    naive_project = bench_project(
        tmp_path / "naive" / "campaigns", campaigns, leads, PROJECT_SETTINGS
    )
    # One process at a time: on a small machine, processes starting together would charge
    # each other's start-up, which is most of the gap to the floor of a short run.
    wall, span, result = _run_apply(project, ours)
    rivals = []
    for emulator, batch in zip(theirs, NAIVE_BATCHES, strict=True):
        rival = _start_naive(naive_project, emulator, batch)
        rival.finish()
        rivals.append(rival)
    baseline = rivals[0]

    minimum = minimum_calls(campaigns, leads)
    checks = WEBHOOK_CHECKS_PER_CAMPAIGN * campaigns
    floor = duration_floor({Bucket.GLOBAL: minimum}, STRICT) / TIME_SCALE
    estimate = plan_estimate(naive_project)
    # The estimate is in real seconds: its floor part shrinks with the time scale, the start-up
    # does not.
    estimated = (estimate.floor_seconds - OVERHEAD_SECONDS) / TIME_SCALE + OVERHEAD_SECONDS
    server = ours.stats()
    served, refused = int(server["total_requests"]), int(server["rate_limited"])
    totals = result["totals"]
    assert isinstance(totals, dict)
    reported = int(totals["total_calls"])
    scale = "real time" if REALTIME else f"time scale {TIME_SCALE:g}"
    report(
        f"apply {campaigns} x {leads} leads, strict limits, {scale}: minimum {minimum} calls, "
        f"floor {floor * TIME_SCALE:.0f} s real ({floor:.1f} s here)"
    )
    report(
        f"  smartlead-sync: {served} calls ({served / minimum:.3f}x minimum; report says "
        f"{reported}; {served / (minimum - checks):.3f}x the minimum without the {checks} "
        f"webhook lists), wall {wall:.2f} s ({wall / floor if floor else 0:.3f}x floor), "
        f"429s {refused}; vs naive wall {wall / baseline.wall:.3f}x "
        f"({', '.join(f'{wall / r.wall:.3f}x at {r.batch} per call' for r in rivals)})"
    )
    report(f"  smartlead-sync wall: {_phases(server, *span)}")
    report(
        f"  plan estimate:  {estimate.total} calls, {estimated:.1f} s here "
        f"({estimate.floor_seconds:.0f} s real); measured {served} calls, {wall:.1f} s "
        f"(wall / estimate {wall / estimated:.3f})"
    )
    for rival in rivals:
        figures = rival.figures or {}
        answered = figures["calls"] - figures["rate_limited"]  # its count includes the 429s
        report(
            f"  naive script, {rival.batch} leads per call: {answered} calls "
            f"({answered / minimum:.3f}x minimum), wall {rival.wall:.2f} s "
            f"({rival.wall / floor if floor else 0:.3f}x floor), 429s {figures['rate_limited']}"
        )
    assert reported == served  # the report counts every call the server saw
    assert estimate.total == served  # the plan announced every call the apply made
    assert served <= 1.05 * minimum
    assert refused == 0
