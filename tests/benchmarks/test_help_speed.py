"""How long `smartlead-sync --help` takes: import time of the CLI and wall time of the process."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import pytest

from tests.benchmarks.conftest import Report
from tests.cli_process import REPO_ROOT

RUNS = 10
TARGET_MS = 100.0


def _help(*python_flags: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, *python_flags, "-m", "smartlead_sync", "--help"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def _import_ms(stderr: str) -> float:
    """Cumulative microseconds of the top-level imports the command made, from -X importtime."""
    total = 0
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if name.startswith(" ") and not name.startswith("  ") and cumulative.strip().isdigit():
            total += int(cumulative)  # top level only: children are inside their parent's figure
    return total / 1000


@pytest.mark.benchmark
def test_help_import_and_wall_time(report: Report) -> None:
    imports = [_import_ms(_help("-X", "importtime").stderr) for _ in range(RUNS)]
    walls = []
    for _ in range(RUNS):
        started = time.perf_counter()
        _help()
        walls.append((time.perf_counter() - started) * 1000)
    baseline = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=60)
        baseline.append((time.perf_counter() - started) * 1000)
    report(
        f"--help: import time {statistics.median(imports):.0f} ms median of {RUNS} "
        f"(target < {TARGET_MS:.0f} ms, interpreter start-up included); process wall "
        f"{statistics.median(walls):.0f} ms median vs {statistics.median(baseline):.0f} ms "
        "for `python -c pass`"
    )
