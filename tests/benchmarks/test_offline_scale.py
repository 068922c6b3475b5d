"""Offline CPU and memory: validate + plan of 10,000 campaigns x 100 leads (1M leads).

A child process generates nothing: the repository is written here (one CSV per campaign, the
campaigns sharing a template), then `offline_run` validates it as `validate` does and plans it
against an in-memory account where every campaign exists (the no-op plan, which diffs every
lead). Targets at full size: validate + plan < 20 s CPU and < 1.5 GiB peak. The default size
is 1,000 x 100 so it runs in seconds; SMARTLEAD_BENCH_OFFLINE_FULL=1 runs 10,000 x 100.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks.conftest import Report
from tests.benchmarks.test_validate_scale import generate_repository
from tests.cli_process import REPO_ROOT

pytestmark = pytest.mark.benchmark

FULL = os.environ.get("SMARTLEAD_BENCH_OFFLINE_FULL") == "1"
CAMPAIGNS = 10_000 if FULL else 1_000
LEADS = 100
TARGET_CPU, TARGET_MIB = 20.0, 1536


def test_validate_and_plan_cpu_and_memory_at_scale(tmp_path: Path, report: Report) -> None:
    root = tmp_path / "campaigns"
    generate_repository(root, CAMPAIGNS, LEADS)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.offline_run", str(root)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        check=False,
        timeout=3600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(proc.stdout)
    cpu = figures["validate_cpu"] + figures["plan_cpu"]
    report(
        f"offline {figures['campaigns']:,} campaigns x {LEADS} leads ({figures['leads']:,}): "
        f"validate {figures['validate_cpu']:.1f} s CPU (peak {figures['validate_peak_mib']:.0f} "
        f"MiB) + plan {figures['plan_cpu']:.1f} s CPU (peak {figures['peak_mib']:.0f} MiB) = "
        f"{cpu:.1f} s CPU, {figures['peak_mib']:.0f} MiB peak; targets at 10,000 campaigns: "
        f"< {TARGET_CPU:g} s and < {TARGET_MIB} MiB"
        + ("" if FULL else " (this is the small size; SMARTLEAD_BENCH_OFFLINE_FULL=1 runs 10,000)")
    )
    assert figures["errors"] == 0
    assert figures["leads"] == CAMPAIGNS * LEADS
    assert not figures["plan_has_changes"]
