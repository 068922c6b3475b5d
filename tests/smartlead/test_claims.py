"""Creates that another run makes at the same moment: the lowest id wins, the loser deletes its
own copy and adopts the winner (smartlead/claims.py). The other run is played by a transport
that creates the same object just before this run's create reaches the emulator."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from smartlead_sync.emulator import TRANSPORT_BASE_URL, Emulator, EmulatorConfig
from smartlead_sync.smartlead.claims import (
    Claim,
    Created,
    claim_campaign,
    claim_webhook,
    settle_wave,
)
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import Webhook
from tests.emulated import UNLIMITED, client_for

HOOK = Webhook("Replies", "https://hooks.example.com/r", ("EMAIL_REPLY",), ("Interested",))


class RivalFirst(httpx.BaseTransport):
    """Forwards to the emulator; the first create through it is preceded by the same create,
    as another run's would be."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.rival_ids: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}") if request.method == "POST" else {}
        creates = request.url.path.endswith("/campaigns/create") or (
            request.url.path.endswith("/webhooks")
            and isinstance(body, dict)
            and "id" in body
            and body["id"] is None
        )
        if creates and not self.rival_ids:
            rival = self.inner.handle_request(
                httpx.Request(
                    request.method, request.url, content=request.content, headers=request.headers
                )
            )
            rival.read()
            self.rival_ids.append(int(json.loads(rival.content)["id"]))
        return self.inner.handle_request(request)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emulator = Emulator(EmulatorConfig(time_scale=1e6))
    yield emulator
    emulator.close()


def _provider(transport: httpx.BaseTransport) -> SmartleadProvider:
    return SmartleadProvider(client_for(TRANSPORT_BASE_URL, limits=UNLIMITED, transport=transport))


def test_a_campaign_created_at_the_same_moment_is_adopted_and_the_copy_deleted(
    emulator: Emulator,
) -> None:
    rival = RivalFirst(emulator.transport())
    provider = _provider(rival)

    claim = claim_campaign(provider, "Q3 outreach", None)

    (winner,) = rival.rival_ids
    assert claim.adopted and claim.id == winner and claim.removed is not None
    assert claim.removed > winner
    assert [c.id for c in provider.list_campaigns() if c.name == "Q3 outreach"] == [winner]
    assert "this run's copy" in claim.describe()


def test_a_campaign_created_before_the_re_list_is_adopted_without_a_create(
    emulator: Emulator,
) -> None:
    provider = _provider(emulator.transport())
    existing = provider.create_campaign("Q3 outreach", None)
    emulator.reset_stats()

    claim = claim_campaign(provider, "Q3 outreach", None)

    assert claim.adopted and claim.id == existing and claim.removed is None
    assert [e.route for e in emulator.stats().log] == ["GET /campaigns"]


def test_a_webhook_created_at_the_same_moment_is_adopted_and_the_copy_deleted(
    emulator: Emulator,
) -> None:
    campaign = _provider(emulator.transport()).create_campaign("Q3 outreach", None)
    rival = RivalFirst(emulator.transport())
    provider = _provider(rival)

    claim = claim_webhook(provider, campaign, HOOK)

    (winner,) = rival.rival_ids
    assert claim.adopted and claim.id == winner
    hooks = provider.client.list_webhooks(campaign)
    assert [int(h["id"]) for h in hooks] == [winner]


def test_without_a_rival_the_create_stands(emulator: Emulator) -> None:
    provider = _provider(emulator.transport())

    claim = claim_campaign(provider, "Q3 outreach", None)

    assert not claim.adopted and claim.describe() == f"id {claim.id}"


def test_a_wave_is_settled_by_one_list_and_a_copy_already_removed_is_no_error(
    emulator: Emulator,
) -> None:
    provider = _provider(emulator.transport())
    first = provider.create_campaign("Q3 outreach", None)
    gone = provider.create_campaign("Q3 outreach", None)  # the other run's copy, removed since
    provider.delete_campaign(gone)
    mine = provider.create_campaign("Q4 outreach", None)
    emulator.reset_stats()

    listed, claims = settle_wave(
        provider, [Created("Q3 outreach", None, gone), Created("Q4 outreach", None, mine)]
    )

    assert claims == [Claim(first, adopted=True, removed=gone), Claim(mine)]
    assert {c.id for c in listed} == {first, mine}
    assert [e.route for e in emulator.stats().log] == [
        "GET /campaigns",
        "DELETE /campaigns/{campaign_id}",
    ]
