"""Helper processes for the SIGKILL test, so that twenty kills fit in a short test run.

    python -m tests.apply.workers zygote    forks `smartlead-sync apply` processes on request
    python -m tests.apply.workers checker   proves convergence from copies of the account

The zygote imports the tool once and forks a child per request (it runs no threads, so the
fork is safe); each child is an ordinary apply process that the test kills with SIGKILL. The
checker runs beside the next killed apply, on another core.
Both read one JSON request per line on stdin and answer one JSON line per event on stdout.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from smartlead_sync.apply.run import ApplyContext, apply_plan
from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import TRANSPORT_BASE_URL, Emulator, EmulatorConfig
from smartlead_sync.planning import make_plan
from smartlead_sync.settings import Bucket, Connection, RateLimits, Window
from smartlead_sync.smartlead.client import SmartleadClient
from smartlead_sync.smartlead.leads import leads_from_export
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import CampaignState
from tests.conftest import CANARY_KEY

HANDMADE = "Hand-made in the UI"


def _answer(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def zygote() -> None:
    from smartlead_sync.cli import main

    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(main, job)
        _answer({"pid": pid})
        _, status = os.waitpid(pid, 0)
        _answer({"exit": os.waitstatus_to_exitcode(status)})


def _child(main: Any, job: dict[str, Any]) -> None:
    code = 1
    try:
        os.dup2(os.open(job["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
        os.dup2(os.open(job["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        main(job["argv"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


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
    client = SmartleadClient(
        Connection(SecretStr(CANARY_KEY), TRANSPORT_BASE_URL),
        limits=RateLimits({Bucket.GLOBAL: (Window(1_000_000, 1),)}),
        transport=emulator.transport(),
    )
    try:
        provider = SmartleadProvider(client)
        handmade = [c.id for c in provider.list_campaigns() if c.name == HANDMADE]
        before = provider.read_campaign(handmade[0]) if handmade else None
        plan = make_plan(provider, desired.campaigns, desired.tool)
        report = apply_plan(plan, desired.campaigns, ApplyContext(provider, desired.tool))
        assert report.exit_code == 0, [(c.name, c.error) for c in report.campaigns]
        assert report.converged is not False, report.residual_drift
        check_invariants(provider, wanted, before, complete=True)
    finally:
        client.close()
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
    {"zygote": zygote, "checker": checker}[sys.argv[1]]()
