"""Carry a plan out through the real provider, in plan order, with no retries or journal.

Test-only: it brings an emulator to the desired state so that the plan tests can check that
a second plan is empty. The real applier (smartlead_sync/apply) adds ordering across campaigns,
verification, journal and report.
"""

from __future__ import annotations

from dataclasses import replace

from smartlead_sync.plan import (
    ChangeKind,
    CreateCampaign,
    DeleteCampaign,
    LeadBatch,
    LeadRemovals,
    LeadUpdates,
    MailboxChange,
    Plan,
    Rename,
    SaveSequence,
    SetStatus,
    UpdateSchedule,
    UpdateSettings,
    WebhookChange,
)
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import Lead


def execute(provider: SmartleadProvider, plan: Plan) -> None:
    for campaign in plan.campaigns:
        campaign_id = campaign.live_id
        for change in campaign.changes:
            payload = change.payload
            if isinstance(payload, CreateCampaign):
                campaign_id = provider.create_campaign(payload.name, payload.client_id)
                continue
            assert campaign_id is not None
            _run(provider, campaign_id, change.kind, payload)


def _run(provider: SmartleadProvider, cid: int, kind: ChangeKind, payload: object) -> None:
    match payload:
        case Rename(new_name=name):
            provider.rename_campaign(cid, name)
        case SetStatus(status=status):
            provider.set_status(cid, status)
        case UpdateSettings(settings=settings, current=current):
            provider.update_settings(cid, settings, current=current)
        case UpdateSchedule(schedule=schedule):
            provider.save_schedule(cid, schedule)
        case SaveSequence(steps=steps):
            provider.save_sequence(cid, steps)
        case MailboxChange(mailboxes=mailboxes) if kind is ChangeKind.ATTACH_MAILBOXES:
            provider.attach_mailboxes(cid, [m.id for m in mailboxes])
        case MailboxChange(mailboxes=mailboxes):
            provider.detach_mailboxes(cid, [m.id for m in mailboxes])
        case WebhookChange(webhook=hook) if kind is ChangeKind.DELETE_WEBHOOK:
            assert hook.id is not None
            provider.delete_webhook(cid, hook.id)
        case WebhookChange(webhook=hook):
            provider.upsert_webhook(cid, hook)
        case LeadBatch(leads=leads, policy=policy):
            result = provider.add_leads(cid, leads, policy)
            assert not result.skipped, result.skipped
        case LeadUpdates(updates=updates):
            for update in updates:
                lead = Lead(
                    email=update.email, id=update.lead_id, custom_fields=update.custom_fields
                )
                provider.update_lead(cid, replace(lead, **dict(update.fields)))
        case LeadRemovals(leads=leads):
            for lead in leads:
                assert lead.id is not None
                provider.delete_lead(cid, lead.id)
        case DeleteCampaign(campaign_id=campaign_id):
            provider.delete_campaign(campaign_id)
        case _:
            raise AssertionError(f"no way to run {kind.value} with {payload!r}")
