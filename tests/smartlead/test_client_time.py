"""Waiting bounds and the messages when they are hit: a silent server, an overall deadline, a
429 that asks for more than the retry budget, a base URL that redirects."""

from __future__ import annotations

import httpx
import pytest

from smartlead_sync.redaction import Secret
from smartlead_sync.smartlead.api_errors import ApiError, OutOfTime, RateLimited, TransportError
from smartlead_sync.smartlead.client import SmartleadClient
from smartlead_sync.tool_settings import Connection
from tests.smartlead.fakes import TEST_KEY, FakeClock, Recorder, generous_limits, make_client


def _client(rec: Recorder, clock: FakeClock, **connection: float) -> SmartleadClient:
    return SmartleadClient(
        Connection(Secret(TEST_KEY), "https://sl.test/api/v1", **connection),
        limits=generous_limits(),
        transport=httpx.MockTransport(rec),
        clock=clock,
        sleep=clock.sleep,
    )


def test_a_retry_after_beyond_the_budget_says_what_smartlead_asked_for() -> None:
    clock = FakeClock()
    rec = Recorder(lambda r: httpx.Response(429, headers={"Retry-After": "100000"}))
    with pytest.raises(RateLimited) as caught:
        make_client(rec, clock=clock).list_campaigns()
    text = str(caught.value)
    assert "Smartlead asked to wait 100000s (27.8 h) before the next call" in text
    assert "beyond the 300s this tool waits at most" in text
    assert "run the command again after 27.8 h" in text
    assert "after 1 attempts" not in text and "stricter" not in text
    assert clock.sleeps == []  # it did not wait 27 hours first


def test_a_retry_after_within_the_budget_is_waited_for_and_the_old_message_kept() -> None:
    clock = FakeClock()
    rec = Recorder(lambda r: httpx.Response(429, headers={"Retry-After": "1"}))
    with pytest.raises(RateLimited, match="still rate limited after 6 attempts"):
        make_client(rec, clock=clock).list_campaigns()


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_names_where_it_points_never_the_key(status: int) -> None:
    location = f"https://api.example.com/api/v1/campaigns?api_key={TEST_KEY}"
    rec = Recorder(lambda r: httpx.Response(status, headers={"Location": location}))
    with pytest.raises(ApiError) as caught:
        make_client(rec).list_campaigns()
    text = str(caught.value)
    assert "the base URL redirects to https://api.example.com/api/v1/campaigns" in text
    assert "--base-url / SMARTLEAD_BASE_URL" in text
    assert "empty response" not in text and TEST_KEY not in text and "api_key" not in text
    assert len(rec.requests) == 1  # not followed, not retried


def test_a_silent_server_names_the_timeout_and_the_settings_that_change_it() -> None:
    def silent(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(TransportError) as caught:
        _client(Recorder(silent), FakeClock(), timeout_seconds=7.5).list_campaigns()
    text = str(caught.value)
    assert "no answer from sl.test within 7.5s" in text
    assert "--timeout / SMARTLEAD_TIMEOUT" in text and "--deadline / SMARTLEAD_DEADLINE" in text


def test_the_deadline_stops_retries_and_says_so() -> None:
    clock = FakeClock()
    rec = Recorder(lambda r: httpx.Response(500, json={"error": "boom"}))
    client = _client(rec, clock, deadline_seconds=4.0)
    with pytest.raises(OutOfTime) as caught:
        client.list_campaigns()
    text = str(caught.value)
    assert clock.now < 4.0  # it stopped early: the deadline has not passed ...
    left = 4.0 - clock.now
    assert "passed" not in text  # ... so it says why it stopped instead
    assert "stopped retrying this call: the next retry was due in " in text
    assert f", after the overall deadline of 4s ({left:.3g}s left)" in text
    assert "(last answer: boom)" in text and "--deadline" in text
    assert len(rec.requests) < 6  # no wait that would cross it


def test_a_retry_due_once_the_deadline_has_passed_says_it_passed() -> None:
    clock = FakeClock()

    def slow_failure(request: httpx.Request) -> httpx.Response:
        clock.now += 5.0  # the answer itself arrives after the deadline
        return httpx.Response(500, json={"error": "boom"})

    with pytest.raises(OutOfTime) as caught:
        _client(Recorder(slow_failure), clock, deadline_seconds=4.0).list_campaigns()
    assert "the overall deadline of 4s passed before this call could be retried" in str(
        caught.value
    )


def test_the_deadline_shortens_each_attempt_and_refuses_new_calls() -> None:
    clock = FakeClock()
    seen: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"]["read"])
        return httpx.Response(200, json=[])

    client = _client(Recorder(answer), clock, timeout_seconds=30.0, deadline_seconds=10.0)
    client.list_campaigns()
    clock.now = 8.0
    client.list_campaigns()
    assert seen == [10.0, 2.0]
    clock.now = 10.0
    with pytest.raises(OutOfTime, match="before this call could be made"):
        client.list_campaigns()
    assert len(seen) == 2
