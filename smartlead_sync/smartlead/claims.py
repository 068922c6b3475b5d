"""Creates that stay single when two runs overlap, on one machine or two (design.md, "No
duplicate campaign, ever").

Smartlead has no unique names and no conditional create (smartlead-api.md §3.4), so the only
shared truth is the account itself. After a create the run lists again and, when another run
created the same object too, the lowest id wins: ids only grow (§13.2), so the run whose id is
higher lists after both creates and adopts the other, and every run that sees both picks the same
winner. The loser deletes its own copy, which nothing has been written to yet, and carries on
with the winner. That list after the create is the guarantee; a list before it only spares a
create that would be deleted again.

An apply creates its new campaigns in one wave and lists once after the wave (`settle_wave`):
every create of the wave precedes the list, so the argument above holds for each of them. A
webhook create is settled by one list of the campaign's webhooks after it (`settle_webhook`):
the plan has just read them, and no route lists webhooks across campaigns (§7.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from smartlead_sync.smartlead.api_errors import NotFound
from smartlead_sync.smartlead.coerce import as_int, as_text
from smartlead_sync.smartlead.state_mapping import webhook_to_api
from smartlead_sync.state import CampaignSummary, Webhook

if TYPE_CHECKING:
    from smartlead_sync.smartlead.provider import SmartleadProvider


@dataclass(frozen=True)
class Claim:
    """The object this run goes on with. `adopted`: another run created it (this run created
    nothing, or deleted its own copy, `removed`)."""

    id: int
    adopted: bool = False
    removed: int | None = None

    def describe(self) -> str:
        if not self.adopted:
            return f"id {self.id}"
        if self.removed is None:
            return f"id {self.id}, created meanwhile by another run and adopted"
        return (
            f"id {self.id}, created at the same moment by another run; this run's copy "
            f"{self.removed} was deleted"
        )


def _same_campaign(listed: Iterable[CampaignSummary], name: str, client_id: int | None) -> set[int]:
    wanted = name.strip()
    return {c.id for c in listed if c.name.strip() == wanted and c.client_id == client_id}


@dataclass(frozen=True)
class Created:
    """A campaign this run created: the name and client it asked for, the id it got."""

    name: str
    client_id: int | None
    id: int


def claim_campaign(provider: SmartleadProvider, name: str, client_id: int | None) -> Claim:
    """The campaign `(client_id, name)`: adopted if it exists now, else created and settled
    (one campaign on its own; an apply settles its creates as a wave, `settle_wave`)."""
    existing = _same_campaign(provider.list_campaigns(), name, client_id)
    if existing:
        return Claim(min(existing), adopted=True)
    created = Created(name, client_id, provider.create_campaign(name, client_id))
    return _settle(provider, provider.list_campaigns(), created)


def settle_wave(
    provider: SmartleadProvider, wave: Sequence[Created]
) -> tuple[list[CampaignSummary], list[Claim]]:
    """One list after a wave of creates settles each of them (in `wave` order); the list is
    returned too, so that the caller reads the new campaigns back from it."""
    listed = provider.list_campaigns()
    return listed, [_settle(provider, listed, created) for created in wave]


def _settle(
    provider: SmartleadProvider, listed: Sequence[CampaignSummary], created: Created
) -> Claim:
    """Lowest id wins among the campaigns `listed` after the create; a losing copy is deleted."""
    mine = next((c for c in listed if c.id == created.id), None)
    # A client-scoped key files the campaign under its client whatever was asked (§9).
    actual_client = created.client_id if mine is None else mine.client_id
    winner = min(_same_campaign(listed, created.name, actual_client) | {created.id})
    if winner == created.id:
        return Claim(created.id)
    # Already gone: a create whose answer was lost may have taken the other run's copy for
    # this run's (provider._find_campaign), and that run has removed it since.
    with suppress(NotFound):
        provider.delete_campaign(created.id)
    return Claim(winner, adopted=True, removed=created.id)


def _hooks_named(provider: SmartleadProvider, campaign_id: int, name: str) -> set[int]:
    rows = provider.client.list_webhooks(campaign_id)
    return {as_int(h.get("id")) or 0 for h in rows if as_text(h.get("name")) == name} - {0}


def claim_webhook(provider: SmartleadProvider, campaign_id: int, webhook: Webhook) -> Claim:
    """The campaign's webhook named `webhook.name`, with `webhook`'s content."""
    existing = _hooks_named(provider, campaign_id, webhook.name)
    if existing:
        winner = min(existing)
        # Another run made it, perhaps from other files: make its content ours.
        provider.client.upsert_webhook(campaign_id, webhook_to_api(replace(webhook, id=winner)))
        return Claim(winner, adopted=True)
    created = provider.upsert_webhook(campaign_id, webhook)
    return settle_webhook(provider, campaign_id, webhook, created)


def settle_webhook(
    provider: SmartleadProvider, campaign_id: int, webhook: Webhook, created: int
) -> Claim:
    """After creating `webhook` (id `created`): lowest id of that name wins, a losing copy is
    deleted."""
    winner = min(_hooks_named(provider, campaign_id, webhook.name) | {created})
    if winner == created:
        return Claim(created)
    provider.delete_webhook(campaign_id, created)
    return Claim(winner, adopted=True, removed=created)
