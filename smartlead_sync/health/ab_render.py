"""A/B test results in three renderings: text (terminal), markdown (pull request), json."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from smartlead_sync.health.ab_check import AbTestRun
from smartlead_sync.health.abtest import AbOutcome, VariantStat

_EVENT = {
    "reply_rate": "replies",
    "positive_reply_rate": "positive replies",
    "click_rate": "clicks",
    "open_rate": "opens",
}


def _pct(value: float) -> str:
    return f"{100 * value:.2f} %"


def _variant_line(stat: VariantStat, event: str) -> str:
    low, high = stat.interval
    return (
        f"{stat.label}  {stat.sends:>7} sent  {stat.events:>6} {event:<8} {_pct(stat.rate):>8}"
        f"  [{_pct(low)}, {_pct(high)}]"
    )


def _head(run: AbTestRun) -> str:
    s = run.spec
    return (
        f"{run.campaign}, step {run.step} ({run.path}): {s.metric.value}, "
        f"{s.confidence:g} % confidence, at least {s.min_sends} sends per variant"
    )


def _what_next(run: AbTestRun, written: Mapping[str, str]) -> str | None:
    if run.verdict is None or run.verdict.outcome is not AbOutcome.WINNER:
        return None
    if run.already_promoted:
        return "already promoted in the files"
    key = f"{run.source}#{run.step}"
    if key in written:
        return written[key]
    return f"promote with --write ({run.spec.on_winner.value})"


def render_ab_text(runs: Sequence[AbTestRun], written: Mapping[str, str]) -> str:
    if not runs:
        return "No A/B tests in the files (add `ab_test:` to a step with variants).\n"
    lines: list[str] = []
    for run in runs:
        lines.append(_head(run))
        if run.verdict is None:
            lines += [f"    skipped: {run.skipped}", ""]
            continue
        event = _EVENT[run.spec.metric.value]
        lines += [f"    {_variant_line(v, event)}" for v in run.verdict.variants]
        lines.append(f"    {run.verdict.message}  [{run.verdict.statistic}]")
        follow = _what_next(run, written)
        if follow:
            lines.append(f"    -> {follow}")
        lines.append("")
    return "\n".join(lines)


def render_ab_markdown(runs: Sequence[AbTestRun], written: Mapping[str, str]) -> str:
    lines = ["### smartlead-sync A/B tests", ""]
    for run in runs:
        lines += [f"**{_head(run)}**", ""]
        if run.verdict is None:
            lines += [f"Skipped: {run.skipped}", ""]
            continue
        lines += ["| Variant | Sent | Events | Rate | Interval |", "|---|---|---|---|---|"]
        for v in run.verdict.variants:
            low, high = v.interval
            interval = f"{_pct(low)} to {_pct(high)}"
            lines.append(f"| {v.label} | {v.sends} | {v.events} | {_pct(v.rate)} | {interval} |")
        lines += ["", f"{run.verdict.message} ({run.verdict.statistic})."]
        follow = _what_next(run, written)
        lines += [f"Next: {follow}." if follow else "", ""]
    return "\n".join(lines)


def _run_json(run: AbTestRun, written: Mapping[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "campaign": run.campaign,
        "source": run.path,
        "step": run.step,
        "metric": run.spec.metric.value,
        "confidence_required": run.spec.confidence,
        "min_sends": run.spec.min_sends,
        "on_winner": run.spec.on_winner.value,
        "skipped": run.skipped,
    }
    verdict = run.verdict
    if verdict is not None:
        data.update(
            statistic=verdict.statistic,
            outcome=verdict.outcome.value,
            winner=verdict.winner,
            leader=verdict.leader,
            confidence=None if verdict.confidence is None else round(verdict.confidence, 3),
            more_sends_per_variant=verdict.more_sends,
            message=verdict.message,
            already_promoted=run.already_promoted,
            written=written.get(f"{run.source}#{run.step}"),
            variants=[
                {"label": v.label, "sends": v.sends, "events": v.events, "rate": round(v.rate, 6),
                 "interval": [round(v.interval[0], 6), round(v.interval[1], 6)]}
                for v in verdict.variants
            ],
        )  # fmt: skip
    return data


def render_ab(runs: Sequence[AbTestRun], fmt: str, written: Mapping[str, str]) -> str:
    match fmt:
        case "json":
            return json.dumps([_run_json(r, written) for r in runs], indent=2) + "\n"
        case "markdown":
            return render_ab_markdown(runs, written)
        case _:
            return render_ab_text(runs, written)
