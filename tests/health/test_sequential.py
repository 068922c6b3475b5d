"""The always-valid mSPRT for two proportions: its closed form against the mixture integral it
stands for, hand-worked values, and its error rate under many looks by seeded simulation
(next to a fixed-horizon z-test, which the same simulation shows lying as published)."""

from __future__ import annotations

import math
import random

import pytest

from smartlead_sync.health.sequential import (
    Proportion,
    always_valid_p,
    difference_interval,
    half_width,
    log_likelihood_ratio,
    sends_needed,
)


def _mixture_by_quadrature(d: float, v: float, tau: float, steps: int = 20_000) -> float:
    """L = integral over theta ~ N(0, tau^2) of N(d; theta, v) / N(d; 0, v), by Simpson's rule."""
    low, high = -12 * tau, 12 * tau
    h = (high - low) / steps
    total = 0.0
    for i in range(steps + 1):
        theta = low + i * h
        weight = 1 if i in (0, steps) else (4 if i % 2 else 2)
        prior = math.exp(-theta * theta / (2 * tau * tau)) / (tau * math.sqrt(2 * math.pi))
        ratio = math.exp((2 * d * theta - theta * theta) / (2 * v))
        total += weight * prior * ratio
    return total * h / 3


@pytest.mark.parametrize(
    ("d", "v", "tau"), [(0.03, 0.0002, 0.02), (0.0, 0.0004, 0.02), (-0.05, 0.001, 0.05)]
)
def test_the_closed_form_is_the_normal_mixture_likelihood_ratio(
    d: float, v: float, tau: float
) -> None:
    closed = math.exp(log_likelihood_ratio(d, v, tau))
    assert closed == pytest.approx(_mixture_by_quadrature(d, v, tau), rel=1e-6)


def test_hand_worked_values() -> None:
    # V = tau^2: L >= 1/alpha  <=>  Z^2 >= 2 (ln 2 + 2 ln(1/alpha)); at alpha = 0.05, Z = 3.6564.
    z = math.sqrt(2 * (math.log(2) + 2 * math.log(20)))
    assert z == pytest.approx(3.6564, abs=1e-4)
    v = 0.0004
    assert math.exp(-log_likelihood_ratio(z * math.sqrt(v), v, 0.02)) == pytest.approx(0.05)
    assert half_width(v, 0.02, 0.05) == pytest.approx(z * math.sqrt(v))
    # 9/300 against 36/300 with tau = 0.02: V = .03*.97/300 + .12*.88/300 = 0.000449,
    # L = sqrt(.000449/.000849) * exp(.0004 * .0081 / (2 * .000449 * .000849)) = 50.97.
    p = always_valid_p(Proportion(9, 300), Proportion(36, 300), 0.02)
    assert p == pytest.approx(1 / 50.97, rel=2e-3)
    low, high = difference_interval(Proportion(9, 300), Proportion(36, 300), 0.02, 0.05)
    assert 0 < low < 0.09 < high  # the always-valid 95 % interval excludes no difference


def test_sends_needed_is_where_the_observed_rates_would_cross() -> None:
    a, b = Proportion(15, 300), Proportion(21, 300)  # 5 % against 7 %
    n = sends_needed(a, b, 0.02, 0.05)
    assert n is not None and n > 300
    at = Proportion(round(0.05 * n), n), Proportion(round(0.07 * n), n)
    before = Proportion(round(0.05 * (n - 50)), n - 50), Proportion(round(0.07 * (n - 50)), n - 50)
    assert always_valid_p(*at, 0.02) <= 0.0505
    assert always_valid_p(*before, 0.02) > 0.05
    assert sends_needed(Proportion(15, 300), Proportion(15, 300), 0.02, 0.05) is None


def _binomial(rng: random.Random, n: int, p: float) -> int:
    """Inverse transform on the pmf recurrence: fast for the small n*p of email rates."""
    u = rng.random()
    q = 1.0 - p
    prob = q**n
    cumulative, k = prob, 0
    while u > cumulative and k < n:
        prob *= (n - k) / (k + 1) * p / q
        k += 1
        cumulative += prob
    return k


def _false_positives(
    rng: random.Random, *, rate: float, batch: int, looks: int, reps: int
) -> tuple[float, float]:
    """Under equal rates, the share of runs that ever reject at 5 % over `looks` looks, for
    the mSPRT (tau = 0.02) and for a fixed-horizon two-proportion z-test at 1.96."""
    msprt = naive = 0
    for _ in range(reps):
        xa = xb = n = 0
        hit_msprt = hit_naive = False
        for _ in range(looks):
            xa += _binomial(rng, batch, rate)
            xb += _binomial(rng, batch, rate)
            n += batch
            a, b = Proportion(xa, n), Proportion(xb, n)
            hit_msprt |= always_valid_p(a, b, 0.02) <= 0.05
            pooled = (xa + xb) / (2 * n)
            se = math.sqrt(2 * pooled * (1 - pooled) / n) if 0 < pooled < 1 else 0
            hit_naive |= se > 0 and abs(b.rate - a.rate) / se >= 1.96
        msprt += hit_msprt
        naive += hit_naive
    return msprt / reps, naive / reps


def test_under_many_looks_the_error_rate_stays_below_the_stated_level() -> None:
    # A reply rate of 5 %, a look after every 100 emails per variant, up to 3,000 each.
    msprt, naive = _false_positives(
        random.Random(20261129), rate=0.05, batch=100, looks=30, reps=2000
    )
    assert msprt <= 0.05
    assert naive > 0.15  # the same data, read with a z-test at every look, lies


def test_the_simulation_reproduces_the_published_error_of_five_looks() -> None:
    # Armitage, McPherson and Rowe (1969): five equally spaced looks at |Z| >= 1.96 reject a
    # true null 14.2 % of the time. Large batches at a 50 % rate are close to normal.
    _, naive = _false_positives(random.Random(7), rate=0.5, batch=400, looks=5, reps=3000)
    assert naive == pytest.approx(0.142, abs=0.02)
