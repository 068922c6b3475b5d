"""The client and provider against the emulator over loopback HTTP (marked slow)."""

from __future__ import annotations

import random
import time
from dataclasses import replace

import pytest

from smartlead_sync.emulator import EmulatorConfig, Faults
from smartlead_sync.smartlead.api_errors import NotFound
from smartlead_sync.smartlead.provider import SkipReason
from smartlead_sync.state import (
    CampaignSettings,
    Lead,
    LeadPolicy,
    Schedule,
    Status,
    Step,
    StopOn,
    Variant,
    Webhook,
)
from smartlead_sync.tool_settings import Bucket, RateLimits, Window
from tests.emulated import STRICT, served
from tests.smartlead.workload import prepare, run_mixed

pytestmark = pytest.mark.slow

FAST = EmulatorConfig(time_scale=1000.0)
SETTINGS = CampaignSettings(
    track_opens=False,
    track_clicks=True,
    track_replies=True,
    stop_on=StopOn.CLICK,
    send_as_plain_text=True,
    follow_up_percentage=30,
    unsubscribe_text="Bye",
    ai_esp_matching=False,
    force_plain_text=True,
)
SCHEDULE = Schedule("America/New_York", (1, 2, 3, 4, 5), "09:00", "17:30", 10, 50)
STEPS = (
    Step(
        1,
        0,
        variants=(
            Variant("A", "Hi {{first_name}}", "<p>a</p>", 50),
            Variant("B", "Hello", "<p>b</p>", 50),
        ),
    ),
    Step(2, 3, "", "<p>bump</p>"),
)
HOOK = Webhook(
    "crm", "https://hooks.example.com/in", ("EMAIL_REPLY", "EMAIL_SENT"), ("Interested",)
)
LEADS = [
    Lead("Jane@Acme.com", first_name="Jane", custom_fields=(("Job Title", "CTO"),)),
    Lead("bob@acme.com", company_name="Acme"),
    Lead("not-an-email"),
]


def test_every_write_reads_back_through_the_provider() -> None:
    with served(FAST) as (_, provider):
        mailboxes = provider.list_mailboxes()
        assert len(mailboxes) >= 3
        cid = provider.create_campaign("Round trip", None)
        provider.update_settings(cid, SETTINGS)
        provider.save_schedule(cid, SCHEDULE)
        provider.save_sequence(cid, STEPS)
        provider.attach_mailboxes(cid, [m.id for m in mailboxes[:3]])
        provider.detach_mailboxes(cid, [mailboxes[0].id])
        hook_id = provider.upsert_webhook(cid, HOOK)
        result = provider.add_leads(cid, LEADS, LeadPolicy())
        provider.set_status(cid, Status.ACTIVE)

        state = provider.read_campaign(cid)
        assert (state.name, state.status) == ("Round trip", Status.ACTIVE)
        assert state.settings == replace(SETTINGS, force_plain_text=None)  # write-only (§3.3)
        assert state.schedule == SCHEDULE
        assert state.sequence is not None
        assert [
            replace(s, id=None, variants=tuple(replace(v, id=None) for v in s.variants))
            for s in state.sequence
        ] == list(STEPS)
        assert state.mailboxes == tuple(sorted(m.email for m in mailboxes[1:3]))
        assert state.webhooks == (replace(HOOK, id=hook_id),)
        assert result.skipped == {"not-an-email": SkipReason.INVALID_EMAIL}
        assert state.leads is not None
        assert {k: lead.id for k, lead in state.leads.items()} == result.added
        jane = state.leads["jane@acme.com"]
        assert jane.custom_fields == (("Job Title", "CTO"),)
        assert provider.page_leads(cid) == state.leads  # the fallback reads the same

        # Saving again with ids keeps every id (pause first: no saves while ACTIVE, §4.2).
        provider.set_status(cid, Status.PAUSED)
        provider.save_sequence(cid, state.sequence)
        again = provider.read_campaign(cid, with_leads=False)
        assert again.sequence == state.sequence
        assert again.leads is None

        provider.update_lead(cid, replace(jane, first_name="Janet"))
        found = provider.client.get_lead_by_email("jane@acme.com")
        assert found is not None and found["first_name"] == "Janet"
        assert (
            provider.upsert_webhook(cid, replace(HOOK, url="https://h.example/2", id=hook_id))
            == hook_id
        )
        provider.delete_webhook(cid, hook_id)
        provider.delete_lead(cid, result.added["bob@acme.com"])
        final = provider.read_campaign(cid)
        assert final.webhooks == ()
        assert final.leads is not None and list(final.leads) == ["jane@acme.com"]
        assert provider.client.list_lead_categories()
        assert any(c.id == cid for c in provider.list_campaigns())
        provider.delete_campaign(cid)
        with pytest.raises(NotFound):
            provider.client.get_campaign(cid)


def test_matching_limits_500_mixed_calls_get_no_429() -> None:
    config = EmulatorConfig(time_scale=300.0)
    with served(config) as (emulator, provider):
        fixture = prepare(provider)
        outcome = run_mixed(provider, fixture, calls=500, threads=4, rng=random.Random(7))
        assert outcome.failures == []
        assert provider.client.stats.received_429 == 0
        assert emulator.stats().rate_limited == 0


def test_server_limits_below_the_clients_still_finish_everything() -> None:
    smaller_tier = RateLimits(
        {
            Bucket.GLOBAL: (Window(5, 2), Window(30, 60)),
            Bucket.CAMPAIGN_WRITE: (Window(10, 60),),
            Bucket.LEAD_WRITE: (Window(30, 60),),
            Bucket.WEBHOOK_WRITE: (Window(10, 60),),
        }
    )
    config = EmulatorConfig(time_scale=300.0, rate_limits=smaller_tier)
    with served(config, client_limits=STRICT) as (emulator, provider):
        fixture = prepare(provider)
        outcome = run_mixed(provider, fixture, calls=150, threads=4, rng=random.Random(3))
        assert outcome.failures == []
        live = provider.read_leads(fixture.campaign_id)
        assert outcome.leads_added <= set(live)  # nothing lost
        assert provider.client.stats.received_429 == emulator.stats().rate_limited


@pytest.mark.parametrize("kind", ["drop", "502"])
def test_create_with_a_lost_response_is_not_duplicated(kind: str) -> None:
    with served(FAST) as (emulator, provider):
        emulator.set_faults(
            Faults(
                lose_response_on_calls=frozenset({1}),
                lost_response_kind=kind,  # type: ignore[arg-type]
                routes=frozenset(
                    {"POST /campaigns/create", "POST /campaigns/{campaign_id}/webhooks"}
                ),
            )
        )
        cid = provider.create_campaign("Lost once", None)
        assert [c.id for c in provider.list_campaigns() if c.name == "Lost once"] == [cid]
        emulator.set_faults(
            Faults(
                lose_response_on_calls=frozenset({1}),
                lost_response_kind=kind,  # type: ignore[arg-type]
                routes=frozenset({"POST /campaigns/{campaign_id}/webhooks"}),
            )
        )
        hook_id = provider.upsert_webhook(cid, HOOK)
        hooks = provider.client.list_webhooks(cid)
        assert [h["id"] for h in hooks] == [hook_id]


def test_create_after_a_500_before_commit_creates_exactly_once() -> None:
    with served(FAST) as (emulator, provider):
        emulator.set_faults(
            Faults(
                server_error_on_calls=frozenset({1}), routes=frozenset({"POST /campaigns/create"})
            )
        )
        cid = provider.create_campaign("Failed once", None)
        assert [c.id for c in provider.list_campaigns() if c.name == "Failed once"] == [cid]


def test_create_that_times_out_while_the_server_is_slow_is_not_duplicated() -> None:
    # The server commits 0.3 s after the request arrives; the client gives up after 0.1 s and
    # backs off 2 s / 5 = 0.4 s (at least) before looking for the campaign.
    slow_create = Faults(latency=(0.3, 0.3), routes=frozenset({"POST /campaigns/create"}))
    with served(EmulatorConfig(time_scale=5.0), timeout=0.1) as (emulator, provider):
        emulator.set_faults(slow_create)
        cid = provider.create_campaign("Slow", None)
        time.sleep(0.4)  # anything still in the server's hands has landed by now
        assert [c.id for c in provider.list_campaigns() if c.name == "Slow"] == [cid]
