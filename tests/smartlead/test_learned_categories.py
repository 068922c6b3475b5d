"""A category limit the account enforces is learned from one 429 and kept for the run."""

from __future__ import annotations

import httpx
import pytest

from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.tool_settings import CATEGORY_WINDOWS, Bucket, Window
from tests.emulated import STRICT, client_for, provider_on

TIME_SCALE = 200.0  # a minute of rate limit in 0.3 s


def test_a_429_on_campaign_writes_with_per_key_room_teaches_the_category_bucket() -> None:
    server_limits = STRICT.with_categories(
        {Bucket.CAMPAIGN_WRITE: CATEGORY_WINDOWS[Bucket.CAMPAIGN_WRITE]}
    )
    emulator = Emulator(EmulatorConfig(rate_limits=server_limits, time_scale=TIME_SCALE))
    notices: list[str] = []
    with provider_on(emulator, STRICT) as provider:
        provider.client._notify = notices.append
        created = [provider.create_campaign(f"c{i}", None) for i in range(45)]
    stats = emulator.stats()
    emulator.close()
    assert len(set(created)) == 45
    assert stats.rate_limited == 1  # the 31st create; every later one waited its turn
    assert any("campaign writes on their own" in n for n in notices), notices


def _answers(*responses: httpx.Response) -> httpx.MockTransport:
    queue = list(responses)
    return httpx.MockTransport(lambda request: queue.pop(0))


@pytest.mark.parametrize(("remaining", "learned"), [("0", False), ("12", True)])
def test_only_a_429_with_per_key_room_teaches_the_category(remaining: str, learned: bool) -> None:
    refused = httpx.Response(
        429, headers={"Retry-After": "0", "x-ratelimit-remaining": remaining}, json={}
    )
    transport = _answers(refused, httpx.Response(200, json={"ok": True}))
    with client_for("https://emulated.test/api/v1", transport=transport) as client:
        client.save_campaign_schedule(1, {})
        relearned = client._limiter.learn(Bucket.CAMPAIGN_WRITE)
    assert (relearned == ()) is learned


def test_a_429_on_a_read_with_per_key_room_halves_the_burst_window() -> None:
    refused = httpx.Response(429, headers={"Retry-After": "0", "x-ratelimit-remaining": "40"})
    transport = _answers(refused, httpx.Response(200, json=[]))
    notices: list[str] = []
    with client_for("https://emulated.test/api/v1", transport=transport) as client:
        client._notify = notices.append
        client.list_campaigns()
        assert client._limiter.tighten() == Window(2, 2)  # 10 per 2 s became 5, now 2
    assert notices == [
        "Smartlead refused a call the configured limits allowed: pacing at 5 per 2s for the "
        "rest of this run"
    ]
