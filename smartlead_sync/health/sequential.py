"""An always-valid test for the difference of two proportions: the mixture sequential
probability ratio test (mSPRT) with a normal mixture, as in Johari, Koomen, Pekelis and Walsh,
"Peeking at A/B tests" (KDD 2017) and Optimizely's Stats Engine.

For rates p_A, p_B with estimates from n_A, n_B emails, the difference d = p_B - p_A is
estimated as D with variance V = p_A(1-p_A)/n_A + p_B(1-p_B)/n_B (plug-in, normal
approximation). Mixing over d ~ N(0, tau^2), the likelihood ratio against d = 0 is

    L = sqrt(V / (V + tau^2)) * exp(tau^2 D^2 / (2 V (V + tau^2)))

and, by Ville's inequality, P(L ever reaches 1/alpha | d = 0) <= alpha however often one
looks. So `1/L` (capped at 1) is an always-valid p-value, and the set of d not rejected is an
always-valid confidence interval. A scheduled job may look every day and act on the first
look that crosses: the error rate stays at most alpha.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_SENDS = 10_000_000  # beyond this a "sends needed" estimate is not worth giving


@dataclass(frozen=True)
class Proportion:
    events: int
    sends: int

    @property
    def rate(self) -> float:
        return self.events / self.sends if self.sends else 0.0

    @property
    def variance(self) -> float:
        """Of the rate estimate: p(1-p)/n."""
        p = self.rate
        return p * (1.0 - p) / self.sends if self.sends else 0.0


def log_likelihood_ratio(difference: float, variance: float, tau: float) -> float:
    """log L of the normal-mixture mSPRT for an estimated difference with this variance."""
    if variance <= 0.0:
        return 0.0  # no variation observed yet (all or nothing in both arms): no evidence
    t2 = tau * tau
    return 0.5 * math.log(variance / (variance + t2)) + (
        t2 * difference * difference / (2.0 * variance * (variance + t2))
    )


def always_valid_p(a: Proportion, b: Proportion, tau: float) -> float:
    """min(1, 1/L) for B against A: the probability bound on a difference this large arising
    at any look when the rates are equal."""
    log_l = log_likelihood_ratio(b.rate - a.rate, a.variance + b.variance, tau)
    return 1.0 if log_l <= 0.0 else math.exp(-log_l)


def half_width(variance: float, tau: float, alpha: float) -> float:
    """Half the width of the always-valid (1 - alpha) interval around an estimate."""
    if variance <= 0.0:
        return 0.0
    t2 = tau * tau
    return math.sqrt(
        variance
        * (variance + t2)
        / t2
        * (math.log((variance + t2) / variance) - 2 * math.log(alpha))
    )


def rate_interval(p: Proportion, tau: float, alpha: float) -> tuple[float, float]:
    """Always-valid (1 - alpha) interval for one rate, clipped to [0, 1]."""
    width = half_width(p.variance, tau, alpha)
    return max(0.0, p.rate - width), min(1.0, p.rate + width)


def difference_interval(
    a: Proportion, b: Proportion, tau: float, alpha: float
) -> tuple[float, float]:
    """Always-valid (1 - alpha) interval for p_B - p_A."""
    width = half_width(a.variance + b.variance, tau, alpha)
    diff = b.rate - a.rate
    return diff - width, diff + width


def sends_needed(a: Proportion, b: Proportion, tau: float, alpha: float) -> int | None:
    """Emails per variant at which the observed rates, if they held, would reach 1/alpha;
    None when the rates are level or it would take more than MAX_SENDS."""
    pa, pb = a.rate, b.rate
    if pa == pb:
        return None
    spread = pa * (1 - pa) + pb * (1 - pb)
    if spread <= 0.0:
        return max(a.sends, b.sends)
    threshold = -math.log(alpha)

    def crosses(n: int) -> bool:
        return log_likelihood_ratio(pb - pa, spread / n, tau) >= threshold

    low = max(a.sends, b.sends, 1)
    high = low
    while not crosses(high):
        if high > MAX_SENDS:
            return None
        low, high = high, high * 2
    while high - low > 1:  # log L grows with n once it is positive: bisect the first crossing
        middle = (low + high) // 2
        low, high = (low, middle) if crosses(middle) else (middle, high)
    return high
