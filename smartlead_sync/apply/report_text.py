"""The apply report as text for a person at a terminal or reading a CI log. Names, errors and
notes may come from Smartlead: shown escaped (`masking.printable`), as in plans."""

from __future__ import annotations

from collections.abc import Callable

from smartlead_sync.apply.report import (
    ApplyReport,
    CallStats,
    CampaignOutcome,
    CampaignReport,
)
from smartlead_sync.masking import printable

Style = Callable[[str, str], str]  # (text, colour name) -> styled text

MAX_SKIPPED_SHOWN = 10

_OUTCOME_COLOUR = {
    CampaignOutcome.APPLIED: "green",
    CampaignOutcome.UNCHANGED: "white",
    CampaignOutcome.FAILED: "red",
    CampaignOutcome.INTERRUPTED: "yellow",
    CampaignOutcome.NOT_STARTED: "yellow",
}


def _plain(text: str, _colour: str) -> str:
    return text


def format_duration(seconds: float) -> str:
    """`75.2` -> `1m15s`; short durations keep a decimal (`3.4s`)."""
    if seconds < 10:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def format_calls(stats: CallStats) -> str:
    buckets = ", ".join(
        f"{name} {n}" for name, n in sorted(stats.calls.items()) if n and name != "global"
    )
    detail = f" ({buckets})" if buckets else ""
    return (
        f"{stats.total} calls{detail}; {stats.rate_limited} x 429; "
        f"waited {format_duration(stats.waited_seconds)} on rate limits and retries"
    )


def _headline(c: CampaignReport, style: Style) -> str:
    ident = f" (id {c.campaign_id})" if c.campaign_id is not None else ""
    outcome = style(c.outcome.value.replace("_", " "), _OUTCOME_COLOUR[c.outcome])
    line = f"  {printable(c.name)}{ident}: {outcome}"
    if c.error and all(step.ok for step in c.done):  # else the failed step below says it
        return f"{line}: {printable(c.error)}"
    return line


def _lead_lines(c: CampaignReport) -> list[str]:
    t = c.leads
    if not (t.sent or t.updated or t.removed):
        return []
    parts = [f"{t.attached} attached"]
    if t.already_present:
        parts.append(f"{t.already_present} already present")
    if t.skipped:
        reasons = ", ".join(f"{n} {r}" for r, n in sorted(t.by_reason().items()))
        parts.append(f"{len(t.skipped)} not attached ({reasons})")
    if t.updated:
        parts.append(f"{t.updated} updated")
    if t.removed:
        parts.append(f"{t.removed} removed")
    lines = [f"      leads: {', '.join(parts)}"]
    for s in t.skipped[:MAX_SKIPPED_SHOWN]:
        where = f"  {s.source}" if s.source else ""
        lines.append(f"        {s.masked_email}{where}  {s.reason.value}")
    if len(t.skipped) > MAX_SKIPPED_SHOWN:
        more = len(t.skipped) - MAX_SKIPPED_SHOWN
        lines.append(f"        ... and {more} more (all listed in the JSON report)")
    return lines


def _campaign_lines(c: CampaignReport, style: Style) -> list[str]:
    lines = [_headline(c, style)]
    for step in c.done:
        mark = "ok" if step.ok else style("FAILED", "red")
        detail = f" ({step.detail})" if step.detail else ""
        lines.append(f"      {mark:>6}  {printable(step.summary + detail)}")
    for summary in c.not_done:
        lines.append(f"      {style('not done', 'yellow')}  {printable(summary)}")
    lines.extend(f"      note: {printable(note)}" for note in c.notes)
    lines.extend(_lead_lines(c))
    if c.calls.total:
        lines.append(f"      {format_calls(c.calls)}")
    return lines


def render_report_text(report: ApplyReport, style: Style = _plain) -> str:
    """The whole report: campaigns, totals, convergence, journal location."""
    lines: list[str] = []
    floor = (
        f" (rate-limit floor {format_duration(report.floor_seconds)})"
        if report.floor_seconds is not None
        else ""
    )
    verb = "interrupted after" if report.interrupted else "finished in"
    lines.append(f"Apply {verb} {format_duration(report.duration_seconds)}{floor}.")
    shown = [c for c in report.campaigns if c.outcome is not CampaignOutcome.UNCHANGED]
    for campaign in shown:
        lines.extend(_campaign_lines(campaign, style))
    if unchanged := len(report.campaigns) - len(shown):
        lines.append(f"  {unchanged} campaign(s) already up to date")
    lines.append(f"Totals: {format_calls(report.totals)}.")
    if report.planning is not None:
        verify = report.reread.total if report.reread is not None else 0
        writes = report.totals.total - report.planning.total - verify
        lines.append(
            f"  calls: {report.planning.total} to plan, {writes} to apply, {verify} to verify"
        )
    lines.extend(_convergence_lines(report, style))
    if report.journal:
        lines.append(f"Journal: {report.journal}")
    return "\n".join(lines)


def _convergence_lines(report: ApplyReport, style: Style) -> list[str]:
    if report.unverified is not None:
        return [
            style(f"Writes done, convergence not verified: {report.unverified}.", "yellow"),
            "Run `smartlead-sync plan` to see whether anything is left.",
        ]
    if report.converged is None:
        if report.interrupted:
            return ["Convergence not checked: the run stopped early. Run apply again to finish."]
        return ["Nothing was re-read: no campaign was fully applied. Run apply again after fixing."]
    reads = f" ({report.reread.total} reads)" if report.reread is not None else ""
    if report.converged:
        partial = sum(1 for c in report.campaigns if c.outcome is CampaignOutcome.APPLIED)
        scope = (
            "changed campaigns"
            if not report.exit_code
            else f"{partial} campaign(s) applied in full"
        )
        return [f"Converged: a re-read of the {scope}{reads} shows no difference left."]
    lines = [
        style(f"Residual drift: a re-read of the changed campaigns{reads} still differs:", "red")
    ]
    lines.extend(f"  {item}" for item in report.residual_drift)
    return lines
