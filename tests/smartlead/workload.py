"""A mixed API workload (reads and all three write kinds) run by a pool of threads."""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from smartlead_sync.smartlead.api_errors import ApiError
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import CampaignSettings, Lead, LeadPolicy, Schedule, Step, Webhook
from smartlead_sync.tool_settings import Bucket

# Shares of the calls. Global (60/min) stays the slowest bucket: 20% campaign writes need
# 12/min of 30, 20% lead writes 12/min of 60, 10% webhook writes 6/min of 20.
MIX: dict[Bucket, float] = {
    Bucket.GLOBAL: 0.5,  # reads: GLOBAL only
    Bucket.CAMPAIGN_WRITE: 0.2,
    Bucket.LEAD_WRITE: 0.2,
    Bucket.WEBHOOK_WRITE: 0.1,
}


@dataclass(frozen=True)
class Fixture:
    campaign_id: int
    webhook: Webhook
    lead: Lead


@dataclass
class Outcome:
    failures: list[str] = field(default_factory=list)
    leads_added: set[str] = field(default_factory=set)
    calls: dict[Bucket, int] = field(default_factory=dict)


def prepare(provider: SmartleadProvider) -> Fixture:
    cid = provider.create_campaign("Workload", None)
    provider.save_sequence(cid, [Step(1, 0, "Hi", "<p>hi</p>")])
    hook = Webhook("load", "https://hooks.example.com/load", ("EMAIL_REPLY",), ("Interested",))
    hook = Webhook(
        hook.name, hook.url, hook.event_types, hook.categories, provider.upsert_webhook(cid, hook)
    )
    added = provider.add_leads(cid, [Lead("seed@load.example", first_name="Seed")], LeadPolicy())
    lead = Lead("seed@load.example", first_name="Seed", id=added.added["seed@load.example"])
    return Fixture(cid, hook, lead)


def plan_calls(calls: int, rng: random.Random) -> list[Bucket]:
    """Exactly the MIX shares of `calls`, in a shuffled order."""
    kinds = [b for b, share in MIX.items() for _ in range(round(calls * share))]
    kinds += [Bucket.GLOBAL] * (calls - len(kinds))
    rng.shuffle(kinds)
    return kinds


def _call(provider: SmartleadProvider, fx: Fixture, kind: Bucket, n: int, out: Outcome) -> None:
    client, cid = provider.client, fx.campaign_id
    actions: dict[Bucket, list[Callable[[], object]]] = {
        Bucket.GLOBAL: [
            lambda: client.get_campaign(cid),
            lambda: client.list_sequences(cid),
            lambda: client.list_webhooks(cid),
            client.list_campaigns,
            lambda: client.list_campaign_leads(cid, limit=10),
        ],
        Bucket.CAMPAIGN_WRITE: [
            lambda: provider.update_settings(cid, CampaignSettings(follow_up_percentage=n % 100)),
            lambda: provider.save_schedule(
                cid, Schedule("UTC", (1, 2, 3), "08:00", "17:00", 5, 10 + n % 50)
            ),
        ],
        Bucket.LEAD_WRITE: [
            lambda: _add_one(provider, cid, n, out),
            lambda: provider.update_lead(
                cid, Lead(fx.lead.email, first_name=f"S{n}", id=fx.lead.id)
            ),
        ],
        Bucket.WEBHOOK_WRITE: [
            lambda: provider.upsert_webhook(
                cid,
                Webhook(
                    fx.webhook.name,
                    f"{fx.webhook.url}/{n}",
                    fx.webhook.event_types,
                    fx.webhook.categories,
                    fx.webhook.id,
                ),
            ),
        ],
    }
    choices = actions[kind]
    choices[n % len(choices)]()


def _add_one(provider: SmartleadProvider, cid: int, n: int, out: Outcome) -> None:
    email = f"w{n}@load.example"
    result = provider.add_leads(cid, [Lead(email)], LeadPolicy())
    if email in result.added:
        out.leads_added.add(email)
    else:
        out.failures.append(f"lead {n} skipped: {result.skipped}")


def run_mixed(
    provider: SmartleadProvider, fx: Fixture, *, calls: int, threads: int, rng: random.Random
) -> Outcome:
    """Run `calls` mixed calls on `threads` workers; failures are collected, not raised."""
    kinds = plan_calls(calls, rng)
    counter = itertools.count()
    out = Outcome(calls={b: kinds.count(b) for b in MIX})
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                n = next(counter)
            if n >= len(kinds):
                return
            try:
                _call(provider, fx, kinds[n], n, out)
            except ApiError as exc:
                with lock:
                    out.failures.append(f"{kinds[n].value} #{n}: {exc}")

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return out
