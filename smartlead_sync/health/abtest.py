"""A/B test verdicts: a pure function of the test's settings and each variant's counts.

The leader (highest rate) is compared with every other variant by the always-valid mSPRT of
sequential.py; with k variants each comparison uses alpha/(k-1) (Bonferroni), so the chance
of naming a wrong winner, at any look, stays at most 1 - confidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from smartlead_sync.health.analytics_counts import VariantCounts
from smartlead_sync.health.sequential import (
    Proportion,
    always_valid_p,
    rate_interval,
    sends_needed,
)
from smartlead_sync.health.spec import AbMetric, AbTestSpec

# The mixing standard deviation of the mSPRT, per metric: the size of difference between
# variants the test is most sensitive to (an absolute difference of rates). Fixed in advance,
# as the test's guarantee requires.
MIXING_SD: dict[AbMetric, float] = {
    AbMetric.REPLY_RATE: 0.02,
    AbMetric.POSITIVE_REPLY_RATE: 0.01,
    AbMetric.CLICK_RATE: 0.02,
    AbMetric.OPEN_RATE: 0.05,
}


class AbOutcome(str, Enum):
    WINNER = "winner"
    NOT_SIGNIFICANT = "not_significant"
    NOT_ENOUGH_SENDS = "not_enough_sends"


@dataclass(frozen=True)
class VariantStat:
    label: str
    sends: int
    events: int
    rate: float
    interval: tuple[float, float]  # always-valid, at the test's confidence


@dataclass(frozen=True)
class AbVerdict:
    metric: AbMetric
    variants: tuple[VariantStat, ...]
    outcome: AbOutcome
    leader: str | None
    losers: tuple[str, ...]
    confidence: float | None  # percent; 1 - the (Bonferroni-adjusted) always-valid p-value
    more_sends: int | None  # per variant, to reach the confidence if the rates held
    statistic: str
    message: str

    @property
    def winner(self) -> str | None:
        return self.leader if self.outcome is AbOutcome.WINNER else None


def _events(metric: AbMetric, counts: VariantCounts) -> int:
    match metric:
        case AbMetric.REPLY_RATE:
            return counts.replies
        case AbMetric.POSITIVE_REPLY_RATE:
            return counts.positive_replies
        case AbMetric.CLICK_RATE:
            return counts.clicks
        case AbMetric.OPEN_RATE:
            return counts.opens


def _proportion(metric: AbMetric, counts: VariantCounts | None) -> Proportion:
    counts = counts or VariantCounts()
    return Proportion(_events(metric, counts), counts.sends)


def _pct(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def statistic_name(metric: AbMetric) -> str:
    return f"mSPRT (always valid), normal mixture tau = {MIXING_SD[metric]:g}"


def evaluate_ab(
    spec: AbTestSpec, labels: Sequence[str], counts: Mapping[str, VariantCounts]
) -> AbVerdict:
    """The verdict on the variants `labels` (file order) given their counts by label."""
    tau = MIXING_SD[spec.metric]
    alpha = 1.0 - spec.confidence / 100.0
    props = {label: _proportion(spec.metric, counts.get(label)) for label in labels}
    stats = tuple(
        VariantStat(label, p.sends, p.events, p.rate, rate_interval(p, tau, alpha))
        for label, p in props.items()
    )
    name = statistic_name(spec.metric)
    short = [(label, p.sends) for label, p in props.items() if p.sends < spec.min_sends]
    if short:
        which = ", ".join(f"{label} has {sends}" for label, sends in short)
        message = f"not enough sends yet: {which} of the {spec.min_sends} needed per variant"
        return AbVerdict(
            spec.metric, stats, AbOutcome.NOT_ENOUGH_SENDS, None, (), None, None, name, message
        )
    leader = max(labels, key=lambda label: props[label].rate)
    others = [label for label in labels if label != leader]
    comparisons = len(others)
    worst_p = max(always_valid_p(props[o], props[leader], tau) for o in others)
    adjusted = min(1.0, worst_p * comparisons)
    confidence = 100.0 * (1.0 - adjusted)
    beaten = ", ".join(others)
    if adjusted <= alpha:
        message = f"{leader} beats {beaten} at {_pct(confidence)} %"
        return AbVerdict(
            spec.metric, stats, AbOutcome.WINNER, leader, tuple(others), confidence, None, name,
            message,
        )  # fmt: skip
    more, message = _not_yet(props, leader, tau, alpha / comparisons, confidence)
    return AbVerdict(
        spec.metric, stats, AbOutcome.NOT_SIGNIFICANT, leader, (), confidence, more, name, message
    )


def _not_yet(
    props: Mapping[str, Proportion], leader: str, tau: float, alpha: float, confidence: float
) -> tuple[int | None, str]:
    """Sends still needed per variant (if the rates held) and the verdict's words."""
    others = [label for label in props if label != leader]
    best = props[leader]
    if all(props[o].rate == best.rate for o in others):
        return (
            None,
            f"not significant yet: the variants are level so far ({_pct(100 * best.rate)} %)",
        )
    lead = (
        f"not significant yet ({leader} leads {', '.join(others)}, "
        f"{_pct(confidence)} % confidence so far)"
    )
    needed = [sends_needed(props[o], best, tau, alpha) for o in others]
    if any(n is None for n in needed):
        return None, f"{lead}; the rates are too close to tell apart"
    more = max(n for n in needed if n is not None) - min(p.sends for p in props.values())
    return more, f"{lead}, need about {more} more sends per variant"
