"""The guard report in three renderings: text (terminal), markdown (issue body), json."""

from __future__ import annotations

import json
from typing import Any

from smartlead_sync.health.check import CampaignGuards, GuardReport
from smartlead_sync.health.guards import GuardResult, Verdict
from smartlead_sync.masking import printable
from smartlead_sync.render.markdown import inert_text

_MARK = {Verdict.TRIPPED: "TRIPPED", Verdict.OK: "ok", Verdict.NOT_ENOUGH_DATA: "no verdict"}


def _action(campaign: CampaignGuards, report: GuardReport) -> str:
    if campaign.campaign_id in report.paused:
        return "paused"
    if campaign.to_pause:
        return "to pause (run with --auto-approve)"
    if campaign.tripped:
        return "report only"
    return "nothing to do"


def _summary(report: GuardReport) -> str:
    tripped, pause = len(report.tripped), len(report.to_pause)
    if not tripped:
        return f"No guard tripped ({len(report.campaigns)} active campaign(s) checked)."
    done = len(report.paused)
    verb = f"{done} paused" if done else f"{pause} to pause"
    return f"Guards tripped on {tripped} campaign(s): {verb}."


def render_guard_text(report: GuardReport) -> str:
    lines = [f"Guards on {report.today.isoformat()}", ""]
    for campaign in report.campaigns:
        name = printable(campaign.name)
        lines.append(f"  {name} (id {campaign.campaign_id}): {_action(campaign, report)}")
        for result in campaign.results:
            lines.append(f"      {_MARK[result.verdict]:<10} {result.evidence()}")
    for skipped in report.skipped:
        lines.append(printable(f"  {skipped.name}: skipped, {skipped.why}"))
    if len(lines) == 2:
        lines.append("  no declared campaign has guards")
    return "\n".join([*lines, "", _summary(report), ""])


def render_guard_markdown(report: GuardReport) -> str:
    lines = [f"### smartlead-sync guard ({report.today.isoformat()})", "", _summary(report), ""]
    if report.campaigns:
        lines += ["| Campaign | Guard | Verdict | Value | Threshold | Sample | Window |"]
        lines += ["|---|---|---|---|---|---|---|"]
    for campaign in report.campaigns:
        for r in campaign.results:
            value = "—" if r.value is None else f"{r.value:.2f} %"
            sign = "≥" if r.guard.metric.is_floor else "≤"
            lines.append(
                f"| {_cell(campaign.name)} ({_action(campaign, report)}) | {r.guard.metric.value} "
                f"| {_MARK[r.verdict]} | {value} | {sign} {r.guard.threshold:g} % "
                f"| {r.sample} sent (min {r.guard.min_sent}) | {r.period.describe()} |"
            )
    if report.skipped:
        skipped = (f"- {inert_text(s.name)}: {inert_text(s.why)}" for s in report.skipped)
        lines += ["", "Skipped:", *skipped]
    return "\n".join([*lines, ""])


def _cell(text: str) -> str:
    """A campaign name in the issue's table: inert (no markup, no @mention), one line."""
    return inert_text(text, cell=True)


def _result_json(result: GuardResult) -> dict[str, Any]:
    guard = result.guard
    return {
        "metric": guard.metric.value,
        "verdict": result.verdict.value,
        "value_percent": None if result.value is None else round(result.value, 4),
        "threshold_percent": guard.threshold,
        "direction": "below" if guard.metric.is_floor else "above",
        "events": result.events,
        "denominator": result.denominator,
        "sample": result.sample,
        "min_sent": guard.min_sent,
        "window": {
            "start": None if result.period.start is None else result.period.start.isoformat(),
            "end": result.period.end.isoformat(),
        },
        "action": guard.action.value,
        "evidence": result.evidence(),
    }


def render_guard_json(report: GuardReport) -> str:
    data = {
        "date": report.today.isoformat(),
        "tripped": bool(report.tripped),
        "campaigns": [
            {
                "name": c.name,
                "id": c.campaign_id,
                "source": c.source,
                "tripped": c.tripped,
                "paused": c.campaign_id in report.paused,
                "guards": [_result_json(r) for r in c.results],
            }
            for c in report.campaigns
        ],
        "skipped": [{"name": s.name, "why": s.why} for s in report.skipped],
    }
    return json.dumps(data, indent=2) + "\n"


def render_guard(report: GuardReport, fmt: str) -> str:
    match fmt:
        case "json":
            return render_guard_json(report)
        case "markdown":
            return render_guard_markdown(report)
        case _:
            return render_guard_text(report)
