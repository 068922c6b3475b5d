"""Helpers for end-to-end apply tests: an emulator served on loopback at a compressed time
scale, a provider on it for in-process setup and checks, and the apply CLI as a real process."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from smartlead_sync.apply.report import ApplyReport
from smartlead_sync.apply.run import ApplyContext, apply_plan
from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import Emulator, EmulatorConfig, Faults
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.smartlead.provider import SmartleadProvider
from tests.conftest import CANARY_KEY, RunCli
from tests.emulated import provider_at, provider_on


@dataclass
class Served:
    emulator: Emulator
    base_url: str
    time_scale: float
    state_path: Path

    def provider(self) -> AbstractContextManager[SmartleadProvider]:
        """A provider over loopback HTTP, paced like the CLI at this time scale."""
        return provider_at(self.base_url, time_scale=self.time_scale, key=CANARY_KEY)

    def checks(self) -> AbstractContextManager[SmartleadProvider]:
        """A provider in process on the same account, for checks where the wire is not the
        point."""
        return provider_on(self.emulator, key=CANARY_KEY)


@contextmanager
def served_emulator(
    state_path: Path, *, time_scale: float, faults: Faults | None = None
) -> Iterator[Served]:
    """The emulator over real HTTP, its key the canary key, its limits the strict profile."""
    config = EmulatorConfig(
        api_keys=(CANARY_KEY,), time_scale=time_scale, faults=faults or Faults()
    )
    emulator = Emulator(config, state_path=state_path)
    server = emulator.serve()
    try:
        yield Served(emulator, server.base_url, time_scale, state_path)
    finally:
        emulator.close()


def plan_now(project: Path, provider: SmartleadProvider) -> Plan:
    desired = load_desired(project, env={})
    return make_plan(provider, desired.campaigns, desired.tool)


def apply_now(project: Path, provider: SmartleadProvider, time_scale: float = 1.0) -> ApplyReport:
    """Set-up shortcut: what `apply --auto-approve` does, in this process."""
    desired = load_desired(project, env={})
    plan = make_plan(provider, desired.campaigns, desired.tool)
    ctx = ApplyContext(provider, desired.tool, time_scale=time_scale)
    return apply_plan(plan, desired.campaigns, ctx)


def apply_command_line(project: Path, served: Served, *args: str) -> list[str]:
    """`apply` of `project` against `served`, its journal beside the project folder."""
    return [
        "apply",
        str(project),
        "--base-url",
        served.base_url,
        "--time-scale",
        str(served.time_scale),
        "--journal",
        str(project.parent / "apply.journal.jsonl"),
        *args,
    ]


def apply_cli(
    run_cli: RunCli, project: Path, served: Served, *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """That command line run to completion, with the canary key in the environment."""
    argv = apply_command_line(project, served, *args)
    return run_cli(*argv, env={"SMARTLEAD_API_KEY": CANARY_KEY}, timeout=timeout)
