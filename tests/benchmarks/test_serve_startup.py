"""How long `smartlead-sync emulator serve` takes to listen: from process start to its banner."""

from __future__ import annotations

import statistics

import pytest

from tests.benchmarks.conftest import Report
from tests.emulator.test_serve_cli import start_serve, stop_serve

RUNS = 5
TARGET_S = 2.0


@pytest.mark.benchmark
def test_serve_time_to_listen(report: Report) -> None:
    timings = []
    for _ in range(RUNS):
        process, _, ready_after, _ = start_serve()
        code, _, _ = stop_serve(process)
        assert code == 0, "a Ctrl-C right after the banner must stop the emulator cleanly"
        timings.append(ready_after)
    report(
        f"emulator serve: listening after {statistics.median(timings):.2f} s median of {RUNS} "
        f"(best {min(timings):.2f} s, target < {TARGET_S:.0f} s)"
    )
