"""Every lead that did not end attached is named in the report, with its reason."""

from __future__ import annotations

from pathlib import Path

from smartlead_sync.apply.report import CampaignOutcome
from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.masking import mask_email
from tests.apply.projects import lead_email, write_project
from tests.apply.support import apply_now
from tests.emulated import UNLIMITED, provider_on


def test_leads_of_batches_never_sent_after_the_credit_limit_are_named(tmp_path: Path) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=1, leads=250, status="drafted")
    emulator = Emulator(EmulatorConfig(time_scale=1e6, lead_credits=3))
    with provider_on(emulator, UNLIMITED) as provider:
        report = apply_now(project, provider)
    emulator.close()

    (campaign,) = report.campaigns
    assert campaign.outcome is CampaignOutcome.FAILED
    assert report.exit_code == 1
    tally = campaign.leads
    assert (tally.sent, tally.attached) == (100, 3)
    assert tally.by_reason() == {"credit_limit": 97, "not_sent": 150}
    assert len(tally.skipped) == 247
    lines = {int((s.source or "").rpartition(":")[2]) for s in tally.skipped}
    assert lines == {row + 2 for row in range(3, 250)}  # file:row of each one, none left out
    assert all(
        (s.source or "").split(":")[0].endswith("leads/campaign-00.csv") for s in tally.skipped
    )
    assert {s.masked_email for s in tally.skipped} == {mask_email(lead_email(0, 3))}
    assert "the 150 lead(s) of later batches were not sent" in (campaign.error or "")
