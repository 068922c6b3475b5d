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

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.plan.estimate import OVERHEAD_SECONDS, duration_floor
from smartlead_sync.plan.plan_model import CallEstimate
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.tool_settings import CATEGORY_WINDOWS, RATE_LIMIT_PROFILES, Bucket
from tests.apply.projects import write_project
from tests.benchmarks.conftest import Report
from tests.cli_process import REPO_ROOT
from tests.conftest import CANARY_KEY
from tests.emulated import provider_on

pytestmark = pytest.mark.benchmark

REALTIME = os.environ.get("SMARTLEAD_BENCH_REALTIME") == "1"
TIME_SCALE = 1.0 if REALTIME else 20.0
BATCH = 400
CAMPAIGNS, LEADS = 20, 500
LIMITS = RATE_LIMIT_PROFILES["strict"].with_categories(CATEGORY_WINDOWS)
PROJECT_SETTINGS = (
    "settings:\n  rate_limit_profile: strict\n  category_buckets: true\n  lead_batch_size: 400\n"
)


@dataclass(frozen=True)
class Served:
    base_url: str

    def stats(self) -> dict[str, Any]:
        root = self.base_url.removesuffix("/api/v1")
        stats: dict[str, Any] = httpx.get(f"{root}/_emulator/stats", timeout=30).json()
        return stats


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO_ROOT), SMARTLEAD_API_KEY=CANARY_KEY)


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Served]:
    """An emulator process enforcing the category windows as well as the per-key ones."""
    config = tmp_path / "emulator.json"
    categories = {
        bucket.value: [[w.limit, w.seconds] for w in windows]
        for bucket, windows in CATEGORY_WINDOWS.items()
    }
    config.write_text(
        json.dumps(
            {
                "api_keys": [CANARY_KEY],
                "time_scale": TIME_SCALE,
                "lead_batch_cap": BATCH,
                "rate_limits": categories,
            }
        )
    )
    command = [sys.executable, "-m", "smartlead_sync", "emulator", "serve", "--port", "0"]
    proc = subprocess.Popen(
        [*command, "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
    )
    try:
        assert proc.stdout is not None
        banner = proc.stdout.readline()  # "Smartlead emulator listening on http://HOST:PORT/api/v1"
        yield Served(banner.rsplit(" ", 1)[1].strip())
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _project(root: Path) -> Path:
    project = write_project(root, campaigns=CAMPAIGNS, leads=LEADS)
    settings = project / "smartlead-sync.yaml"
    text = settings.read_text()
    settings.write_text(text[: text.index("\nsettings:\n") + 1] + PROJECT_SETTINGS)
    return project


def _estimate(project: Path) -> CallEstimate:
    """The plan's estimate for the project, planned against a fresh in-process account."""
    desired = load_desired(project, env={})
    emulator = Emulator(EmulatorConfig(time_scale=1e6, lead_batch_cap=BATCH))
    try:
        with provider_on(emulator) as provider:
            return make_plan(provider, desired.campaigns, desired.tool).estimate
    finally:
        emulator.close()


def _apply(project: Path, served: Served) -> float:
    argv = [sys.executable, "-m", "smartlead_sync", "apply", str(project), "--auto-approve"]
    argv += ["--format", "json", "--base-url", served.base_url, "--time-scale", str(TIME_SCALE)]
    started = time.perf_counter()
    proc = subprocess.run(
        argv, check=False, capture_output=True, text=True, env=_env(), timeout=1800
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
    emulator: Served, tmp_path: Path, report: Report
) -> None:
    project = _project(tmp_path / "campaigns")
    estimate = _estimate(project)
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
