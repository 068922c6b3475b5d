"""Client pacing on the emulator: mixed calls, 429s and wall time against the rate-limit floor.

The floor is the least time the calls can take under the strict profile (the slowest window of
any bucket). Time runs 300x faster on both sides, so 1,000 calls (17 minutes of strict limits)
take about three and a half seconds; the CPU then idles about half of each window, which keeps
the figure steady on a busy machine. SMARTLEAD_BENCH_SCALE multiplies the number of calls
(2 gives the 2,000 calls of the issue: the same ratio, a little closer to 1).
"""

from __future__ import annotations

import os
import random
import time

import pytest

from smartlead_sync.emulator import EmulatorConfig
from smartlead_sync.plan.estimate import duration_floor
from smartlead_sync.tool_settings import Bucket
from tests.benchmarks.conftest import Report
from tests.emulated import STRICT, in_process
from tests.smartlead.workload import prepare, run_mixed

TIME_SCALE = 300.0
CALLS = 1000
TARGET_RATIO = 1.1
# Measured 1.05-1.06 (1,000 calls) and 1.03-1.05 (2,000) run alone, also at load average 5 on
# 2 cores; up to 1.24 on a busy machine: client and emulator share this process's CPU. The
# ratio is printed, never asserted: a slow machine is not a failing limiter.


@pytest.mark.benchmark
def test_mixed_calls_pace_at_the_rate_limit_floor_without_429(report: Report) -> None:
    calls = int(CALLS * float(os.environ.get("SMARTLEAD_BENCH_SCALE", "1")))
    config = EmulatorConfig(time_scale=TIME_SCALE)
    with in_process(config) as (emulator, provider):
        fixture = prepare(provider)
        time.sleep(60 / TIME_SCALE)  # the set-up calls leave every window first
        before = provider.client.stats.calls
        started, cpu = time.perf_counter(), time.process_time()
        outcome = run_mixed(provider, fixture, calls=calls, threads=4, rng=random.Random(11))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        sent = {b: n - before[b] for b, n in provider.client.stats.calls.items()}
        server_429 = emulator.stats().rate_limited

    floor = duration_floor(sent, STRICT.scaled(TIME_SCALE))
    ratio = wall / floor
    per_bucket = ", ".join(f"{b.value} {n}" for b, n in sent.items())
    report(
        f"client pacing: {calls} mixed calls ({per_bucket}); 429s {server_429}; "
        f"wall {wall:.2f}s vs floor {floor:.2f}s = {ratio:.3f}x (target <= {TARGET_RATIO}x); "
        f"cpu {cpu:.2f}s; time scale {TIME_SCALE:g}"
    )
    assert outcome.failures == []
    assert sent[Bucket.GLOBAL] == calls  # no retries were needed
    assert server_429 == 0
