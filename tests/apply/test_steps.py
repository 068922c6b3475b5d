"""Every kind of change carried out through the provider on an in-process emulator: after each
apply the account reads back as the files say (the apply's own re-read converges)."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from smartlead_sync.apply.jobs import StepRole
from smartlead_sync.apply.plan_steps import jobs_from_plan
from smartlead_sync.apply.report import ApplyReport, CampaignOutcome
from smartlead_sync.plan.change_kinds import ChangeKind
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import CampaignSettings, CampaignState, DesiredCampaign, Status
from smartlead_sync.tool_settings import ToolSettings
from tests.apply.projects import campaign_name, write_project
from tests.apply.support import apply_now, plan_now
from tests.emulated import converge


def _converged(report: ApplyReport) -> ApplyReport:
    assert report.exit_code == 0, [(c.name, c.error) for c in report.campaigns]
    assert report.converged, report.residual_drift
    return report


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _rewrite_leads(path: Path, keep: int, rename_first: str) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8")))
    header, body = rows[0], rows[1 : keep + 1]
    body[0][1] = rename_first
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([header, *body])


def test_updates_of_every_kind_converge(provider: SmartleadProvider, tmp_path: Path) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=1, leads=6)
    _converged(apply_now(project, provider))
    campaign = project / "campaign-00.yaml"
    _edit(
        campaign,
        f"name: {campaign_name(0)}",
        "name: Renamed\nprevious_names: [Generated campaign 00]",
    )
    _edit(campaign, "events: [EMAIL_REPLY]", "events: [EMAIL_REPLY, EMAIL_BOUNCE]")
    _edit(campaign, "sam@outreach-example.com", "jordan@outreach-example.net")
    _edit(
        campaign,
        "    - csv: leads/campaign-00.csv",
        "    - csv: leads/campaign-00.csv\n  prune: true",
    )
    _rewrite_leads(project / "leads" / "campaign-00.csv", keep=4, rename_first="Patricia")
    kinds = {c.kind for c in plan_now(project, provider).campaigns[0].changes}
    assert {
        ChangeKind.RENAME,
        ChangeKind.UPDATE_WEBHOOK,
        ChangeKind.ATTACH_MAILBOXES,
        ChangeKind.DETACH_MAILBOXES,
        ChangeKind.UPDATE_LEADS,
        ChangeKind.REMOVE_LEADS,
    } <= kinds

    report = _converged(apply_now(project, provider))

    [applied] = report.campaigns
    assert (applied.leads.updated, applied.leads.removed) == (1, 2)
    assert [c.name for c in provider.list_campaigns()] == ["Renamed"]


def test_removing_a_webhook_and_pausing_a_campaign_converge(
    provider: SmartleadProvider, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=1, leads=2)
    _converged(apply_now(project, provider))
    campaign = project / "campaign-00.yaml"
    text = campaign.read_text(encoding="utf-8")
    hooks = text[text.index("webhooks:") : text.index("leads:")]
    campaign.write_text(
        text.replace(hooks, "webhooks: []\n").replace("status: active", "status: paused"),
        encoding="utf-8",
    )
    report = _converged(apply_now(project, provider))
    assert [s.kind for s in report.campaigns[0].done] == ["delete_webhook", "set_status"]


def test_a_pause_the_files_ask_for_with_a_sequence_change_stays_paused(
    provider: SmartleadProvider, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=1, leads=2)
    _converged(apply_now(project, provider))
    campaign = project / "campaign-00.yaml"
    _edit(campaign, "status: active", "status: paused")
    _edit(campaign, "Bumping this", "Following up")
    report = _converged(apply_now(project, provider))
    assert [s.kind for s in report.campaigns[0].done] == ["pause", "save_sequence"]
    [summary] = provider.list_campaigns()
    assert summary.status is Status.PAUSED


def test_a_settings_write_keeps_tracking_flags_the_files_leave_alone(
    provider: SmartleadProvider,
) -> None:
    tool = ToolSettings()
    first = CampaignState(
        "Tracked", settings=CampaignSettings(track_opens=True, track_clicks=False)
    )
    converge(provider, [DesiredCampaign(first, "tracked.yaml")], tool)
    second = replace(first, settings=CampaignSettings(track_opens=False))  # clicks: not managed
    converge(provider, [DesiredCampaign(second, "tracked.yaml")], tool)
    [summary] = provider.list_campaigns()
    live = provider.read_campaign(summary.id).settings
    assert (live.track_opens, live.track_clicks) == (False, False)


def test_lead_updates_and_removals_become_one_step_per_lead(
    provider: SmartleadProvider, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=1, leads=5)
    _converged(apply_now(project, provider))
    _edit(
        project / "campaign-00.yaml",
        "    - csv: leads/campaign-00.csv",
        "    - csv: leads/campaign-00.csv\n  prune: true",
    )
    _rewrite_leads(project / "leads" / "campaign-00.csv", keep=3, rename_first="Patricia")
    [job] = jobs_from_plan(plan_now(project, provider))
    assert [(s.kind, s.role, s.leads) for s in job.steps] == [
        ("update_leads", StepRole.LEADS, 1),
        ("remove_leads", StepRole.LEADS, 1),
        ("remove_leads", StepRole.LEADS, 1),
    ]
    assert all("***@" in s.summary for s in job.steps)  # masked, never the full email


def test_an_unchanged_campaign_is_reported_as_such(
    provider: SmartleadProvider, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=2, leads=2)
    _converged(apply_now(project, provider))
    _edit(project / "campaign-01.yaml", "status: active", "status: paused")
    report = _converged(apply_now(project, provider))
    outcomes = [c.outcome for c in report.campaigns]
    assert outcomes == [CampaignOutcome.UNCHANGED, CampaignOutcome.APPLIED]
