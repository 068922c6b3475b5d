"""The same normalization on both sides: equal renderings compare equal, and it is idempotent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartlead_sync.plan.normalize import (
    html_lines,
    normalize_hour,
    normalize_html,
    normalize_instant,
    normalize_lead_value,
    normalize_schedule,
    normalize_text,
    normalize_timezone,
)
from smartlead_sync.state import Schedule


@pytest.mark.parametrize(
    ("written", "read_back"),
    [
        ("Hi<br>there", "Hi<br/>there"),
        ("Hi<br>there", "Hi<BR />there"),
        ("<p>Tom &amp; Jerry</p>", "<p>Tom & Jerry</p>"),
        ("<p>a&nbsp;b</p>", "<p>a&#160;b</p>"),
        ("<p>a&nbsp;b</p>", "<p>a\xa0b</p>"),
        ("<a href='x?a=1&b=2' class=c>l</a>", '<a class="c" href="x?a=1&amp;b=2">l</a>'),
        ("<p>Hi {{first_name}},</p>\n\n<p>Line</p>\n", "<p>Hi {{first_name}},</p><p>Line</p>"),
        ("<div>  spaced   out  </div>", "<div>spaced out</div>"),
        ("{Hi|Hello} %sender-firstname%", "{Hi|Hello}   %sender-firstname%"),
    ],
)
def test_equivalent_html_forms_normalize_equal(written: str, read_back: str) -> None:
    assert normalize_html(written) == normalize_html(read_back)


def test_different_text_stays_different() -> None:
    assert normalize_html("<p>Hi</p>") != normalize_html("<p>Hello</p>")
    assert normalize_html("a<br>b") != normalize_html("a b")


html_fragments = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<br>",
            "<br/>",
            " ",
            "\n",
            "&amp;",
            "&nbsp;",
            "{{first_name}}",
            "a",
            "é",
            "<a href='x'>",
            "</a>",
            "<",
            ">",
            "&",
            '"',
            "<!-- c -->",
            "<div class=x>",
        ]
    ),
    max_size=25,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(html_fragments)
def test_normalize_html_is_idempotent(body: str) -> None:
    once = normalize_html(body)
    assert normalize_html(once) == once


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=40))
def test_normalize_text_is_idempotent(text: str) -> None:
    assert normalize_text(normalize_text(text)) == normalize_text(text)


def test_body_lines_break_after_block_ends_and_brs() -> None:
    assert html_lines("<p>One</p>\n<p>Two<br>Three</p>") == [
        "<p>One</p>",
        "<p>Two<br>",
        "Three</p>",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9", "09:00"),
        ("9:00", "09:00"),
        ("09:00:00", "09:00"),
        ("17:30", "17:30"),
        ("late", "late"),
    ],
)
def test_hours(value: str, expected: str) -> None:
    assert normalize_hour(value) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("US/Eastern", "America/New_York"),
        ("america/new_york", "America/New_York"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Etc/UTC", "UTC"),
        (" Europe/Paris ", "Europe/Paris"),
    ],
)
def test_timezones(name: str, expected: str) -> None:
    assert normalize_timezone(name) == expected


def test_instants_compare_in_utc() -> None:
    assert normalize_instant("2025-01-06T09:00:00.000Z") == "2025-01-06T09:00:00Z"
    assert normalize_instant("2025-01-06T10:00:00+01:00") == "2025-01-06T09:00:00Z"
    assert normalize_instant("not a date") == "not a date"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("   ", None), (" Ada ", "Ada"), ("4155550100.0", "4155550100")],
)
def test_lead_values(value: str | None, expected: str | None) -> None:
    assert normalize_lead_value(value) == expected


def test_schedule_days_are_sorted_and_unique() -> None:
    schedule = Schedule("US/Pacific", (5, 1, 3, 1), "9", "17:00:00", 5, 20)
    normalized = normalize_schedule(schedule)
    assert (normalized.days, normalized.start_hour, normalized.end_hour) == (
        (1, 3, 5),
        "09:00",
        "17:00",
    )
    assert normalized.timezone == "America/Los_Angeles"
