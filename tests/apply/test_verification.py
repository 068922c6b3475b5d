"""Verification after apply: write answers confirm what they can, one read per part they cannot,
and a write Smartlead answered but did not keep is still caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartlead_sync.emulator import Emulator, EmulatorConfig, Faults
from tests.apply.projects import write_project
from tests.apply.support import apply_now, plan_now
from tests.emulated import FAST, provider_on

SETTINGS = "POST /campaigns/{campaign_id}/settings"
SEQUENCES = "POST /campaigns/{campaign_id}/sequences"


def _emulator() -> Emulator:
    return Emulator(EmulatorConfig(time_scale=FAST, lead_batch_cap=400))


def test_a_new_campaign_is_confirmed_with_the_list_and_one_sequence_read(tmp_path: Path) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=2, leads=150)
    emulator = _emulator()
    with provider_on(emulator) as provider:
        report = apply_now(project, provider)
    routes = emulator.stats().requests_by_route
    emulator.close()
    assert report.converged and report.exit_code == 0
    assert report.reread is not None
    # One campaign list for both rows, one sequence read per campaign; the lead imports,
    # mailbox attachments and webhook creates were confirmed by their answers.
    assert report.reread.total == 1 + 2
    assert "GET /campaigns/{campaign_id}/leads-export" not in routes
    assert "GET /campaigns/{campaign_id}/email-accounts" not in routes
    # The only webhook reads are the duplicate checks, one after each create (claims.py).
    creates = routes.get("POST /campaigns/{campaign_id}/webhooks", 0)
    assert creates >= 1
    assert routes.get("GET /campaigns/{campaign_id}/webhooks", 0) == creates
    # Campaign lists: the plan's, one after the wave of creates (it settles both creates
    # against a concurrent run and reads the new ids back), and the verification's.
    assert routes["GET /campaigns"] == 3


@pytest.mark.parametrize("route", [SETTINGS, SEQUENCES])
def test_a_write_answered_but_not_kept_is_reported_as_residual_drift(
    tmp_path: Path, route: str
) -> None:
    # Drafted: an active campaign without its sequence would fail at START, which is caught
    # anyway; here nothing but the verification can notice.
    project = write_project(tmp_path / "campaigns", campaigns=2, leads=20, status="drafted")
    emulator = _emulator()
    # The first call to `route` is answered as if it succeeded, and nothing of it is kept.
    emulator.set_faults(Faults(routes=frozenset({route}), drop_write_on_calls=frozenset({1})))
    with provider_on(emulator) as provider:
        report = apply_now(project, provider)
        emulator.set_faults(Faults())
        replan = plan_now(project, provider)
    emulator.close()
    assert report.converged is False and int(report.exit_code) == 1
    assert len(report.residual_drift) == 1, report.residual_drift
    kind = "settings" if route == SETTINGS else "sequence"
    assert kind in report.residual_drift[0]
    # What the verification found is what a fresh plan finds.
    assert sum(1 for c in replan.campaigns if c.changes) == 1


def test_a_response_lost_after_the_write_committed_still_converges(tmp_path: Path) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=1, leads=300)
    emulator = _emulator()
    emulator.set_faults(
        Faults(
            routes=frozenset({"POST /campaigns/{campaign_id}/leads", SETTINGS}),
            lose_response_on_calls=frozenset({1, 2}),
            lost_response_kind="drop",
        )
    )
    with provider_on(emulator) as provider:
        report = apply_now(project, provider)
        replan = plan_now(project, provider)
    emulator.close()
    assert report.converged and report.exit_code == 0
    assert report.campaigns[0].leads.attached + report.campaigns[0].leads.already_present == 300
    assert not replan.has_changes


def test_the_report_counts_every_call_the_server_counted(tmp_path: Path) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=3, leads=50)
    emulator = _emulator()
    with provider_on(emulator) as provider:
        report = apply_now(project, provider)
    served = emulator.stats().total_requests
    emulator.close()
    assert report.planning is not None and report.planning.total > 0
    assert report.totals.total == served
