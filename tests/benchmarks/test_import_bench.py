"""Import benchmark: API calls and time to adopt an account, and the round trip it promises.

Default: 20 campaigns x 200 leads on the emulator; SMARTLEAD_BENCH_SCALE=10 gives 20 x 2,000.
Targets (counts, stable on any machine): reading a campaign costs a fixed number of calls
whatever its lead count, leads add exactly one call per campaign (the CSV export), and the
first plan after the import is empty.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from smartlead_sync.desired import load_desired
from smartlead_sync.desired.import_campaigns import import_files, select_campaigns, write_files
from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.plan.planning import make_plan
from tests.benchmarks.conftest import Report
from tests.benchmarks.test_plan_bench import TOOL, repository
from tests.emulated import FAST, converge, provider_on

SCALE = float(os.environ.get("SMARTLEAD_BENCH_SCALE", "1"))
CAMPAIGNS = 20
READS_PER_CAMPAIGN = 3  # sequence, mailboxes, webhooks (the row comes with the list)

pytestmark = pytest.mark.benchmark


def _import(emulator: Emulator, out: Path, *, with_leads: bool) -> tuple[int, float, int]:
    """(API calls, wall seconds, files written) of one import into `out`."""
    emulator.reset_stats()
    started = time.perf_counter()
    with provider_on(emulator, TOOL.rate_limits) as provider:
        chosen = select_campaigns(provider.list_campaigns(), (), None)
        states = [provider.read_campaign(c.id, with_leads=with_leads) for c in chosen]
    written = write_files(import_files(states), out, force=False)
    return emulator.stats().total_requests, time.perf_counter() - started, len(written)


def test_import_calls_do_not_grow_with_leads_and_plan_after_is_empty(
    report: Report, tmp_path: Path
) -> None:
    leads = max(200, int(200 * SCALE))
    emulator = Emulator(EmulatorConfig(time_scale=FAST, lead_batch_cap=400))
    with provider_on(emulator, TOOL.rate_limits) as provider:
        desired = repository(CAMPAIGNS, leads)
        converge(provider, desired, TOOL)
    bare, bare_s, bare_files = _import(emulator, tmp_path / "bare", with_leads=False)
    full, full_s, full_files = _import(emulator, tmp_path / "full", with_leads=True)

    project = load_desired(tmp_path / "full", env={})
    with provider_on(emulator, TOOL.rate_limits) as provider:
        emulator.reset_stats()
        after = make_plan(provider, project.campaigns, project.tool)
    emulator.close()

    report(
        f"import {CAMPAIGNS} campaigns x {leads} leads: {bare} API calls without leads "
        f"({bare_files} files, {bare_s:.2f} s), {full} with leads ({full_files} files, "
        f"{full_s:.2f} s); first plan after it: {'empty' if not after.has_changes else 'NOT empty'}"
    )
    assert bare == READS_PER_CAMPAIGN * CAMPAIGNS + 1  # + the campaign list
    assert full == bare + CAMPAIGNS  # one CSV export per campaign, whatever its size
    assert full_files == bare_files + CAMPAIGNS
    assert not after.has_changes
