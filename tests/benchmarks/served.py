"""What the apply benchmarks share: emulator processes over loopback HTTP, the environment of
the processes they start, a generated project with given settings, and the plan's estimate.

The time scale is 20x by default, so that the default run takes seconds;
SMARTLEAD_BENCH_REALTIME=1 runs at real, unscaled limits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.plan.plan_model import CallEstimate
from smartlead_sync.plan.planning import make_plan
from tests.apply.projects import write_project
from tests.cli_process import REPO_ROOT
from tests.conftest import CANARY_KEY
from tests.emulated import provider_on

REALTIME = os.environ.get("SMARTLEAD_BENCH_REALTIME") == "1"
TIME_SCALE = 1.0 if REALTIME else 20.0
BATCH = 400


@dataclass(frozen=True)
class EmulatorProcess:
    base_url: str
    proc: subprocess.Popen[str]

    def stats(self) -> dict[str, Any]:
        """The emulator's counters and request log (`/_emulator/stats`)."""
        root = self.base_url.removesuffix("/api/v1")
        stats: dict[str, Any] = httpx.get(f"{root}/_emulator/stats", timeout=30).json()
        return stats


def bench_env() -> dict[str, str]:
    """The environment of every process a benchmark starts: this checkout, the canary key."""
    return dict(os.environ, PYTHONPATH=str(REPO_ROOT), SMARTLEAD_API_KEY=CANARY_KEY)


@contextmanager
def emulator_processes(
    tmp_path: Path, count: int, **config: object
) -> Iterator[list[EmulatorProcess]]:
    """`count` emulator processes (one account each) at the benchmark's time scale and batch
    cap, with `config` on top; stopped on exit."""
    path = tmp_path / "emulator.json"
    settings = {"api_keys": [CANARY_KEY], "time_scale": TIME_SCALE, "lead_batch_cap": BATCH}
    path.write_text(json.dumps({**settings, **config}))
    command = [sys.executable, "-m", "smartlead_sync", "emulator", "serve", "--port", "0"]
    procs = [
        subprocess.Popen(
            [*command, "--config", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=bench_env(),
        )
        for _ in range(count)
    ]
    try:
        yield [EmulatorProcess(_listening_url(proc), proc) for proc in procs]
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


def _listening_url(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    first = proc.stdout.readline()  # "Smartlead emulator listening on http://HOST:PORT/api/v1"
    return first.rsplit(" ", 1)[1].strip()


def apply_argv(project: Path, base_url: str) -> list[str]:
    """`smartlead-sync apply` of `project` against `base_url`, unattended, JSON report."""
    argv = [sys.executable, "-m", "smartlead_sync", "apply", str(project), "--auto-approve"]
    return [*argv, "--format", "json", "--base-url", base_url, "--time-scale", str(TIME_SCALE)]


def bench_project(root: Path, campaigns: int, leads: int, settings: str) -> Path:
    """A generated project whose `settings:` block is `settings` (YAML text)."""
    project = write_project(root, campaigns=campaigns, leads=leads)
    path = project / "smartlead-sync.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("\nsettings:\n") + 1] + settings)
    return project


def plan_estimate(project: Path) -> CallEstimate:
    """The plan's estimate for the project, planned against a fresh in-process account."""
    desired = load_desired(project, env={})
    emulator = Emulator(EmulatorConfig(time_scale=1e6, lead_batch_cap=BATCH))
    try:
        with provider_on(emulator) as provider:
            return make_plan(provider, desired.campaigns, desired.tool).estimate
    finally:
        emulator.close()
