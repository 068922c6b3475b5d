"""The checker beside the SIGKILL test: it proves convergence from copies of the account.

    python -m tests.apply.checker     reads one JSON request per line on stdin, answers on stdout

It runs beside the next killed apply (forked by tests/cli_process.py), on another core.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from smartlead_sync.apply.run import ApplyContext, apply_plan
from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.smartlead.lead_wire import leads_from_export
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import CampaignState
from tests.conftest import CANARY_KEY
from tests.emulated import UNLIMITED, provider_on

HANDMADE = "Hand-made in the UI"


def _answer(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def check_invariants(
    provider: SmartleadProvider,
    desired: dict[str, set[str]],
    handmade: CampaignState | None,
    *,
    complete: bool,
) -> None:
    """No campaign twice, no lead twice, nothing undesired, the hand-made campaign untouched;
    with `complete`, every desired campaign and lead present."""
    summaries = provider.list_campaigns()
    names = [c.name for c in summaries]
    assert sorted(set(names)) == sorted(names), f"a campaign was created twice: {names}"
    assert set(names) <= {*desired, HANDMADE}, "a campaign no file declares appeared"
    for summary in summaries:
        if summary.name == HANDMADE:
            if handmade is not None:
                assert provider.read_campaign(summary.id) == handmade, "hand-made campaign moved"
            continue
        export = provider.client.export_campaign_leads(summary.id)
        emails = [lead.key for lead in leads_from_export(export)]
        assert len(emails) == len(set(emails)), f"a lead is twice in {summary.name}"
        assert set(emails) <= desired[summary.name], f"an undesired lead in {summary.name}"
        if complete:
            assert set(emails) == desired[summary.name], f"leads missing in {summary.name}"
    if complete:
        assert set(names) >= set(desired), "a desired campaign is missing"


def converges_from(copy: Path, project: Path) -> None:
    """Apply in this process on a copy of the account (no limits): it must converge."""
    desired = load_desired(project, env={})
    wanted = {c.state.name: set((c.state.leads or {}).keys()) for c in desired.campaigns}
    emulator = Emulator(EmulatorConfig(api_keys=(CANARY_KEY,), time_scale=1e6), state_path=copy)
    try:
        with provider_on(emulator, UNLIMITED, key=CANARY_KEY) as provider:
            handmade = [c.id for c in provider.list_campaigns() if c.name == HANDMADE]
            before = provider.read_campaign(handmade[0]) if handmade else None
            plan = make_plan(provider, desired.campaigns, desired.tool)
            report = apply_plan(plan, desired.campaigns, ApplyContext(provider, desired.tool))
            assert report.exit_code == 0, [(c.name, c.error) for c in report.campaigns]
            assert report.converged is not False, report.residual_drift
            check_invariants(provider, wanted, before, complete=True)
    finally:
        emulator.close()
        copy.unlink()


def checker() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        try:
            converges_from(Path(job["copy"]), Path(job["project"]))
        except AssertionError as exc:
            _answer({"copy": job["copy"], "ok": False, "error": str(exc)})
        else:
            _answer({"copy": job["copy"], "ok": True})


if __name__ == "__main__":
    checker()
