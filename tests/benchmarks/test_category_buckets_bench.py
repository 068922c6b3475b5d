"""The whole `smartlead-sync apply` command with `category_buckets: true` as a process, against
an emulator process that enforces the same per-category windows (30 campaign writes, 60 lead
writes, 20 webhook writes a minute) beside the strict per-key ones: 20 campaigns x 500 leads,
lead batches of 400.

It measures whether the schedule keeps every bucket busy: the floor is the slowest bucket's
chained windows (estimate.duration_floor over the calls the server counted per bucket), and the
emulator's request log shows when the first lead upload went and how long the lead bucket
stood idle before it while campaign writes queued, and the calls per bucket in each minute.
Printed: calls per bucket, wall (process start to exit) and span (first request to last),
floor, wall / floor, 429s, the lead bucket's idle time, the per-key slots no call took, and the
plan's estimate against the measured wall. Only the absence
of 429s and the estimate's call count are asserted.

The default runs at 20x speed (the floor is about 3 minutes of real time);
SMARTLEAD_BENCH_REALTIME=1 runs at real, unscaled limits.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from smartlead_sync.plan.estimate import OVERHEAD_SECONDS, duration_floor
from smartlead_sync.tool_settings import CATEGORY_WINDOWS, RATE_LIMIT_PROFILES, Bucket
from tests.benchmarks.conftest import Report
from tests.benchmarks.served import (
    REALTIME,
    TIME_SCALE,
    EmulatorProcess,
    apply_argv,
    bench_env,
    bench_project,
    emulator_processes,
    plan_estimate,
)

pytestmark = pytest.mark.benchmark

CAMPAIGNS, LEADS = 20, 500
LIMITS = RATE_LIMIT_PROFILES["strict"].with_categories(CATEGORY_WINDOWS)
PROJECT_SETTINGS = (
    "settings:\n  rate_limit_profile: strict\n  category_buckets: true\n  lead_batch_size: 400\n"
)


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    """An emulator process enforcing the category windows as well as the per-key ones."""
    categories = {
        bucket.value: [[w.limit, w.seconds] for w in windows]
        for bucket, windows in CATEGORY_WINDOWS.items()
    }
    with emulator_processes(tmp_path, 1, rate_limits=categories) as served:
        yield served[0]


def _apply(project: Path, served: EmulatorProcess) -> float:
    started = time.perf_counter()
    proc = subprocess.run(
        apply_argv(project, served.base_url),
        check=False,
        capture_output=True,
        text=True,
        env=bench_env(),
        timeout=1800,
    )
    wall = time.perf_counter() - started
    assert proc.returncode == 0, (proc.stderr[-2000:], proc.stdout[-3000:])
    return wall


def first_upload(log: Sequence[dict[str, Any]]) -> float:
    """Seconds from the first request to the first lead upload: the lead bucket idles until
    then while campaign writes go (nothing else keeps it waiting)."""
    leads = [float(e["at"]) for e in log if e["status"] < 400 and "lead_write" in e["buckets"]]
    return leads[0] - float(log[0]["at"])


def per_minute(log: Sequence[dict[str, Any]], bucket: str) -> list[int]:
    """Calls in `bucket` in each minute of real (unscaled) time from the first request."""
    start = log[0]["at"]
    minutes = [int((e["at"] - start) * TIME_SCALE // 60) for e in log if bucket in e["buckets"]]
    return [minutes.count(m) for m in range(max(minutes) + 1)]


def test_category_buckets_keep_every_bucket_busy(
    emulator: EmulatorProcess, tmp_path: Path, report: Report
) -> None:
    project = bench_project(tmp_path / "campaigns", CAMPAIGNS, LEADS, PROJECT_SETTINGS)
    estimate = plan_estimate(project)
    wall = _apply(project, emulator)
    stats = emulator.stats()
    by_bucket = {Bucket(name): n for name, n in stats["requests_by_bucket"].items()}
    floor = duration_floor(by_bucket, LIMITS) / TIME_SCALE
    log = sorted(stats["log"], key=lambda e: e["at"])
    first_lead, span = first_upload(log), log[-1]["at"] - log[0]["at"]
    per_key = per_minute(log, "global")
    unused = sum(60 - n for n in per_key[:-1])  # per-key slots no call took, but the last minute
    # The estimate is in real seconds: its floor part shrinks with the time scale.
    estimated = (estimate.floor_seconds - OVERHEAD_SECONDS) / TIME_SCALE + OVERHEAD_SECONDS
    real = TIME_SCALE  # figures in real seconds (at real limits) are these x TIME_SCALE
    scale = "real time" if REALTIME else f"time scale {TIME_SCALE:g}"
    calls = ", ".join(f"{b.value} {n}" for b, n in sorted(by_bucket.items()))
    report(
        f"apply {CAMPAIGNS} x {LEADS} leads, category buckets on, strict, {scale}: calls {calls}"
    )
    report(
        f"  wall {wall:.1f} s, span {span:.1f} s, floor {floor:.1f} s ({floor * real:.0f} s "
        f"real): wall / floor {wall / floor:.3f}, span / floor {span / floor:.3f}, "
        f"429s {stats['rate_limited']}"
    )
    report(
        f"  lead bucket idle before its first upload: {first_lead:.1f} s ({first_lead * real:.0f}"
        f" s real); per-key slots left unused before the last minute: {unused}"
    )
    report(
        "  per minute (real): "
        + "; ".join(f"{b} {per_minute(log, b)}" for b in ("global", "campaign_write", "lead_write"))
    )
    report(
        f"  plan estimate: {estimate.total} calls, {estimated:.1f} s here "
        f"({estimate.floor_seconds:.0f} s real); measured {stats['total_requests']} calls, "
        f"wall / estimate {wall / estimated:.3f}"
    )
    assert stats["rate_limited"] == 0
    assert estimate.total == stats["total_requests"]
