from __future__ import annotations

import json

from smartlead_sync.apply.report import (
    ApplyReport,
    CallStats,
    CampaignOutcome,
    CampaignReport,
    LeadTally,
    SkippedLead,
    StepRecord,
)
from smartlead_sync.apply.report_text import format_calls, format_duration, render_report_text
from smartlead_sync.errors import ExitCode
from smartlead_sync.smartlead.lead_wire import SkipReason


def _applied() -> CampaignReport:
    return CampaignReport(
        name="Q3 outreach",
        source="q3.yaml",
        campaign_id=1000001,
        outcome=CampaignOutcome.APPLIED,
        done=[
            StepRecord("create_campaign", "create campaign", True, "id 1000001"),
            StepRecord("add_leads", "add 3 leads", True),
        ],
        leads=LeadTally(
            sent=3,
            attached=2,
            skipped=[SkippedLead("j***@acme.com", SkipReason.UNSUBSCRIBED, "leads.csv:4")],
        ),
        calls=CallStats({"global": 3, "campaign_write": 1, "lead_write": 1}, 0, 1.5),
    )


def _failed() -> CampaignReport:
    return CampaignReport(
        name="Re-engage",
        campaign_id=1000002,
        outcome=CampaignOutcome.FAILED,
        done=[StepRecord("save_sequence", "save sequence", False, "server error (500)")],
        not_done=["attach 1 mailbox", "set status active"],
        error="save sequence failed: server error (500)",
    )


def test_exit_code_is_zero_when_all_applied_and_converged() -> None:
    report = ApplyReport(campaigns=[_applied()], converged=True)
    assert report.exit_code is ExitCode.OK


def test_exit_code_is_one_on_failure_interruption_drift_or_credit_limit() -> None:
    assert ApplyReport(campaigns=[_applied(), _failed()], converged=True).exit_code == 1
    assert ApplyReport(campaigns=[_applied()], interrupted=True).exit_code == 1
    assert ApplyReport(campaigns=[_applied()], converged=False).exit_code == 1
    credit = _applied()
    credit.leads.skipped.append(SkippedLead("a***@b.com", SkipReason.CREDIT_LIMIT))
    assert ApplyReport(campaigns=[credit], converged=True).exit_code == 1


def test_json_report_is_serializable_and_counts_skips_by_reason() -> None:
    report = ApplyReport(
        campaigns=[_applied(), _failed()],
        totals=CallStats({"global": 9}, 1, 2.0),
        converged=True,
        journal=".smartlead-sync/journal.jsonl",
    )
    data = json.loads(json.dumps(report.to_json()))
    assert data["exit_code"] == 1
    first, second = data["campaigns"]
    assert first["leads"]["skipped_by_reason"] == {"unsubscribed": 1}
    assert first["leads"]["skipped"][0] == {
        "email": "j***@acme.com",
        "reason": "unsubscribed",
        "source": "leads.csv:4",
    }
    assert first["calls"]["total_calls"] == 3
    assert second["not_done"] == ["attach 1 mailbox", "set status active"]
    assert data["totals"] == {
        "calls": {"global": 9},
        "total_calls": 9,
        "rate_limited": 1,
        "waited_seconds": 2.0,
    }


def test_text_report_says_what_did_and_did_not_happen() -> None:
    unchanged = CampaignReport(name="Steady", outcome=CampaignOutcome.UNCHANGED)
    report = ApplyReport(
        campaigns=[_applied(), _failed(), unchanged],
        totals=CallStats({"global": 9}, 0, 0.0),
        duration_seconds=75.2,
        floor_seconds=70.0,
        converged=False,
        residual_drift=["Q3 outreach: 1 lead to add"],
    )
    text = render_report_text(report)
    assert text.startswith("Apply finished in 1m15s (rate-limit floor 1m10s).")
    assert "  Q3 outreach (id 1000001): applied" in text
    assert "leads: 2 attached, 1 not attached (1 unsubscribed)" in text
    assert "j***@acme.com  leads.csv:4  unsubscribed" in text
    assert "  Re-engage (id 1000002): failed\n" in text
    assert "FAILED  save sequence (server error (500))" in text
    assert "not done  attach 1 mailbox" in text
    assert "1 campaign(s) already up to date" in text
    assert "Residual drift: a re-read of the changed campaigns still differs" in text
    assert "  Q3 outreach: 1 lead to add" in text


def test_text_report_caps_the_skipped_lead_list() -> None:
    campaign = _applied()
    campaign.leads.skipped = [
        SkippedLead(f"{i}***@x.com", SkipReason.INVALID_EMAIL, f"l.csv:{i}") for i in range(25)
    ]
    text = render_report_text(ApplyReport(campaigns=[campaign], converged=True))
    assert "... and 15 more (all listed in the JSON report)" in text
    assert "Converged" in text


def test_interrupted_run_says_convergence_was_not_checked() -> None:
    text = render_report_text(ApplyReport(interrupted=True, duration_seconds=3.25))
    assert text.startswith("Apply interrupted after 3.2s.")
    assert "Run apply again to finish." in text


def test_format_duration() -> None:
    assert format_duration(0.04) == "0.0s"
    assert format_duration(42) == "42s"
    assert format_duration(3725) == "1h02m"


def test_a_failure_outside_any_step_is_in_the_headline() -> None:
    failed = CampaignReport(
        name="New",
        outcome=CampaignOutcome.FAILED,
        done=[StepRecord("create_campaign", "create campaign", True, "id 7")],
        error="campaign 7 reads back as 'Other', not the campaign that was created",
    )
    text = render_report_text(ApplyReport(campaigns=[failed, _applied()], converged=True))
    assert "  New: failed: campaign 7 reads back as 'Other'" in text
    assert "Converged: a re-read of the 1 campaign(s) applied in full shows" in text


def test_time_spent_backing_off_after_failures_is_not_blamed_on_rate_limits_alone() -> None:
    # 81 s of retry backoff after dropped connections, with no 429 at all.
    line = format_calls(CallStats({"global": 6, "lead_write": 6}, 0, 81.0))
    assert line.endswith("0 x 429; waited 1m21s on rate limits and retries")
