"""Guards offline: the file format with located errors, the rates and their evidence, the
periods counted, answers that cannot be trusted, and when plan reads analytics at all."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from smartlead_sync.health.analytics_counts import (
    CampaignCounts,
    Period,
    UnusableAnswer,
    counts_from_api,
    guard_period,
)
from smartlead_sync.health.guards import Verdict, evaluate_guard, evaluate_guards
from smartlead_sync.health.spec import GuardMetric, GuardSpec
from tests.conftest import RunCli

INVALID = Path(__file__).parent / "invalid"
TODAY = date(2026, 11, 29)
LIFETIME = Period(None, TODAY)

CASES = {
    "guard-unknown-metric.yaml": ("guard-unknown-metric.yaml:3:13", "did you mean `bounce_rate`"),
    "guard-threshold-string.yaml": ("guard-threshold-string.yaml:4:16", "must be a number"),
    "guard-window-too-long.yaml": ("guard-window-too-long.yaml:5:18", "must be at most 30, not"),
    "guard-bad-acknowledged.yaml": (
        "guard-bad-acknowledged.yaml:5:19",
        "'last tuesday' is not a date such as 2026-11-29",
    ),
    "guard-bad-action.yaml": ("guard-bad-action.yaml:5:13", "not one of: pause, report"),
    "ab-test-one-variant.yaml": ("ab-test-one-variant.yaml:3:5", "at least two variants"),
    "ab-test-confidence-fraction.yaml": ("ab-test-confidence-fraction.yaml:8:19", "80"),
    "ab-test-unknown-metric.yaml": ("ab-test-unknown-metric.yaml:8:15", "positive_reply_rate"),
    "ab-test-with-ai.yaml": ("ab-test-with-ai.yaml:3:5", "both pick a winner"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_guard_or_ab_test_is_reported_at_its_line(run_cli: RunCli, name: str) -> None:
    where, words = CASES[name]
    proc = run_cli("validate", str(INVALID / name))
    assert proc.returncode == 1
    lines = [line for line in proc.stdout.splitlines() if where in line]
    assert lines and words in lines[0], proc.stdout


def test_every_invalid_fixture_has_a_case() -> None:
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(CASES)


def counts(sent: int, *, leads: int | None = None, **events: int) -> CampaignCounts:
    base: dict[str, Any] = {"opens": 0, "clicks": 0, "replies": 0, "bounces": 0, "unsubscribes": 0}
    return CampaignCounts(sent=sent, unique_sent=leads or sent, **{**base, **events})


def test_rates_trip_above_a_ceiling_and_below_a_floor() -> None:
    bounce = GuardSpec(metric=GuardMetric.BOUNCE_RATE, threshold=5, min_sent=100)
    assert evaluate_guard(bounce, counts(200, bounces=11), LIFETIME).verdict is Verdict.TRIPPED
    assert evaluate_guard(bounce, counts(200, bounces=10), LIFETIME).verdict is Verdict.OK
    floor = GuardSpec(metric=GuardMetric.REPLY_RATE, threshold=2, min_sent=100)
    # Replies are per lead: 3 of 150 leads emailed (300 emails) is 2 %, not below the floor.
    assert evaluate_guard(floor, counts(300, leads=150, replies=3), LIFETIME).verdict is Verdict.OK
    low = evaluate_guard(floor, counts(300, leads=150, replies=2), LIFETIME)
    assert low.verdict is Verdict.TRIPPED
    assert low.evidence() == ("reply_rate 1.33 % < 2 % (2 of 150, 300 emails sent, whole campaign)")


def test_below_the_minimum_sample_the_guard_says_so_and_gives_no_value() -> None:
    guard = GuardSpec(metric=GuardMetric.BOUNCE_RATE, threshold=5, min_sent=100)
    result = evaluate_guard(guard, counts(99, bounces=50), LIFETIME)
    assert (result.verdict, result.value, result.holds) == (Verdict.NOT_ENOUGH_DATA, None, False)
    assert result.evidence() == (
        "bounce_rate: not enough data, 99 emails sent of the 100 needed (whole campaign)"
    )


def test_periods_follow_the_window_and_start_after_the_acknowledgement() -> None:
    week = GuardSpec(metric=GuardMetric.BOUNCE_RATE, threshold=5, window_days=7)
    assert guard_period(week, TODAY) == Period(date(2026, 11, 23), TODAY)
    acked = GuardSpec(
        metric=GuardMetric.BOUNCE_RATE, threshold=5, window_days=7, acknowledged=date(2026, 11, 26)
    )
    assert guard_period(acked, TODAY) == Period(date(2026, 11, 27), TODAY)
    today_ack = GuardSpec(metric=GuardMetric.BOUNCE_RATE, threshold=5, acknowledged=TODAY)
    assert guard_period(today_ack, TODAY).empty
    old_ack = GuardSpec(metric=GuardMetric.BOUNCE_RATE, threshold=5, acknowledged=date(2026, 1, 1))
    assert guard_period(old_ack, TODAY) == Period(date(2026, 10, 30), TODAY)  # 30 days at most


def test_guards_sharing_a_period_share_one_read() -> None:
    asked: list[Period] = []

    def read(period: Period) -> CampaignCounts:
        asked.append(period)
        return counts(500, bounces=5, unsubscribes=1)

    guards = [
        GuardSpec(metric=GuardMetric.BOUNCE_RATE, threshold=5),
        GuardSpec(metric=GuardMetric.UNSUBSCRIBE_RATE, threshold=1),
        GuardSpec(metric=GuardMetric.BOUNCE_RATE, threshold=2, window_days=7),
    ]
    results = evaluate_guards(guards, read, TODAY)
    assert [r.verdict for r in results] == [Verdict.OK, Verdict.OK, Verdict.OK]
    assert asked == [LIFETIME, Period(date(2026, 11, 23), TODAY)]


def test_counts_come_as_strings_and_a_missing_count_is_an_error() -> None:
    raw = {
        "sent_count": "14", "unique_sent_count": "12", "open_count": "9", "click_count": "1",
        "reply_count": "2", "bounce_count": "1", "unsubscribed_count": "0",
        "campaign_lead_stats": {"total": 40, "inprogress": "12"},
    }  # fmt: skip
    parsed = counts_from_api(raw)
    assert (parsed.sent, parsed.unique_sent, parsed.replies, parsed.bounces) == (14, 12, 2, 1)
    assert parsed.lead_stats == {"total": 40, "inprogress": 12}
    with pytest.raises(UnusableAnswer, match="`bounce_count` is None"):
        counts_from_api({**raw, "bounce_count": None})
    with pytest.raises(UnusableAnswer, match="`sent_count` is 'lots'"):
        counts_from_api({**raw, "sent_count": "lots"})
