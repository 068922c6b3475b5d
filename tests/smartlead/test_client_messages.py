"""What the client tells a person while it retries and when it cannot reach Smartlead."""

from __future__ import annotations

import random

import httpx
import pytest

from smartlead_sync.smartlead.api_errors import NotFound, ServerError, TransportError
from smartlead_sync.smartlead.client import RetryPolicy
from tests.smartlead.fakes import TEST_KEY, FakeClock, Recorder, make_client


def test_a_run_of_5xx_retries_is_announced_instead_of_waiting_silently() -> None:
    clock = FakeClock()
    notices: list[str] = []
    rec = Recorder(lambda r: httpx.Response(500, text="Internal Server Error"))
    client = make_client(rec, clock=clock, rng=random.Random(1), notify=notices.append)
    with pytest.raises(ServerError):
        client.list_campaigns()
    attempts = RetryPolicy().max_attempts
    assert len(notices) == attempts - 1  # one before every retry, none after the last try
    assert notices[0].startswith("Smartlead API GET /campaigns failed (HTTP 500)")
    assert notices[0].endswith(f"(attempt 2 of {attempts})")
    assert all("trying again in" in n and TEST_KEY not in n for n in notices)


def test_short_waits_before_a_retry_are_not_announced() -> None:
    clock = FakeClock()
    notices: list[str] = []
    queue = [httpx.Response(429, headers={"Retry-After": "0.2"}), httpx.Response(200, json=[])]
    client = make_client(Recorder(lambda r: queue.pop(0)), clock=clock, notify=notices.append)
    client.list_campaigns()
    assert notices == []


def test_a_refused_connection_names_the_host_it_tried_and_never_the_key() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    with pytest.raises(TransportError) as info:
        make_client(Recorder(refuse)).list_campaigns()
    message = str(info.value)
    assert "cannot connect to sl.test: [Errno 111] Connection refused" in message
    assert "check the network and --base-url" in message
    assert TEST_KEY not in message


def test_a_404_on_the_campaign_list_points_at_the_base_url() -> None:
    rec = Recorder(lambda r: httpx.Response(404, text="Cannot GET /campaigns"))
    with pytest.raises(NotFound) as info:
        make_client(rec).list_campaigns()
    assert "check --base-url / SMARTLEAD_BASE_URL" in str(info.value)
    assert "ending in /api/v1" in str(info.value)
