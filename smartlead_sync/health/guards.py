"""Guard evaluation: a pure function of a guard, a campaign's counts and the period counted.

Rates: bounces per email sent; unsubscribes and replies per lead emailed (`/analytics` counts
those per lead, §8). Below `min_sent` emails the verdict is "not enough data", never "fine".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from smartlead_sync.health.analytics_counts import CampaignCounts, Period, guard_period
from smartlead_sync.health.spec import GuardAction, GuardMetric, GuardSpec


class Verdict(str, Enum):
    TRIPPED = "tripped"
    OK = "ok"
    NOT_ENOUGH_DATA = "not_enough_data"


@dataclass(frozen=True)
class GuardResult:
    """One guard on one campaign, with its evidence. `value` is a percentage (None when the
    sample is too small to compute one that means anything)."""

    guard: GuardSpec
    verdict: Verdict
    value: float | None
    sample: int  # emails sent in the period
    events: int  # bounces, unsubscribes or replies counted
    denominator: int
    period: Period

    @property
    def holds(self) -> bool:
        """Tripped and asks for a pause: the campaign is paused and kept paused."""
        return self.verdict is Verdict.TRIPPED and self.guard.action is GuardAction.PAUSE

    def evidence(self) -> str:
        g = self.guard
        where = self.period.describe()
        if self.verdict is Verdict.NOT_ENOUGH_DATA:
            return (
                f"{g.metric.value}: not enough data, {self.sample} emails sent of the "
                f"{g.min_sent} needed ({where})"
            )
        sign = (
            ("<" if g.metric.is_floor else ">")
            if self.verdict is Verdict.TRIPPED
            else (">=" if g.metric.is_floor else "<=")
        )
        return (
            f"{g.metric.value} {self.value:.2f} % {sign} {_pct(g.threshold)} % "
            f"({self.events} of {self.denominator}, {self.sample} emails sent, {where})"
        )


def _pct(value: float) -> str:
    return f"{value:g}"


def _events(metric: GuardMetric, counts: CampaignCounts) -> tuple[int, int]:
    match metric:
        case GuardMetric.BOUNCE_RATE:
            return counts.bounces, counts.sent
        case GuardMetric.UNSUBSCRIBE_RATE:
            return counts.unsubscribes, counts.unique_sent
        case GuardMetric.REPLY_RATE:
            return counts.replies, counts.unique_sent


def evaluate_guard(guard: GuardSpec, counts: CampaignCounts, period: Period) -> GuardResult:
    """Tripped when the rate is above the threshold (below it for a floor), given enough data."""
    events, denominator = _events(guard.metric, counts)
    if counts.sent < guard.min_sent or denominator == 0:
        return GuardResult(
            guard, Verdict.NOT_ENOUGH_DATA, None, counts.sent, events, denominator, period
        )
    value = 100.0 * events / denominator
    floor = guard.metric.is_floor
    tripped = value < guard.threshold if floor else value > guard.threshold
    verdict = Verdict.TRIPPED if tripped else Verdict.OK
    return GuardResult(guard, verdict, value, counts.sent, events, denominator, period)


CountsFor = Callable[[Period], CampaignCounts]


def evaluate_guards(
    guards: Sequence[GuardSpec], counts_for: CountsFor, today: date
) -> tuple[GuardResult, ...]:
    """Every guard of one campaign; `counts_for` is asked once per distinct period."""
    cache: dict[Period, CampaignCounts] = {}
    results = []
    for guard in guards:
        period = guard_period(guard, today)
        if period not in cache:
            cache[period] = counts_for(period)
        results.append(evaluate_guard(guard, cache[period], period))
    return tuple(results)
