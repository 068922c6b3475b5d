"""From a Plan to executor steps, with the short line each step shows.

A plan's changes are already in apply order (plan/changes.py); each becomes one step carrying it,
except lead updates and removals, which become one step per lead (one call each, a change of
one lead) so that a stop or a failure leaves an exact record of which leads were done.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from smartlead_sync.apply.jobs import CampaignJob, Step, StepRole
from smartlead_sync.masking import mask_email, printable
from smartlead_sync.plan.changes import (
    AddLeadsChange,
    AttachMailboxesChange,
    Change,
    CreateCampaignChange,
    CreateWebhookChange,
    DeleteCampaignChange,
    DeleteWebhookChange,
    DetachMailboxesChange,
    PauseForSequenceChange,
    RemoveLeadsChange,
    RenameChange,
    SaveSequenceChange,
    SetStatusChange,
    UpdateLeadsChange,
    UpdateScheduleChange,
    UpdateSettingsChange,
    UpdateWebhookChange,
    assert_never,
)
from smartlead_sync.plan.payloads import (
    LeadBatch,
    LeadRemovals,
    LeadUpdates,
    MailboxChange,
    Rename,
    SaveSequence,
    SetStatus,
    WebhookChange,
)
from smartlead_sync.plan.plan_types import CampaignPlan, Plan

MAX_NAMES_SHOWN = 3


def jobs_from_plan(plan: Plan) -> list[CampaignJob]:
    """One job per campaign of the plan, its steps in plan order."""
    return [
        CampaignJob(c.name, list(steps_for(c)), source=c.source, campaign_id=c.live_id)
        for c in plan.campaigns
    ]


def steps_for(campaign: CampaignPlan) -> Iterator[Step]:
    for change in campaign.changes:
        role, kind = _role(change), change.kind.value
        match change:
            case UpdateLeadsChange(LeadUpdates(updates=updates)):
                for update in updates:
                    updated = replace(change, payload=LeadUpdates((update,)))
                    yield Step(kind, f"update lead {mask_email(update.email)}", role, updated, 1)
            case RemoveLeadsChange(LeadRemovals(leads=leads)):
                for lead in leads:
                    removed = replace(change, payload=LeadRemovals((lead,)))
                    yield Step(kind, f"remove lead {mask_email(lead.email)}", role, removed, 1)
            case AddLeadsChange(LeadBatch(leads=leads)):
                yield Step(kind, describe(change), role, change, len(leads))
            case _:
                yield Step(kind, describe(change), role, change)


def _role(change: Change) -> StepRole:
    """A pause the files ask for is kept: only a temporary one is undone at the end."""
    match change:
        case CreateCampaignChange():
            return StepRole.CREATE
        case PauseForSequenceChange(SetStatus(temporary=True)):
            return StepRole.TEMPORARY_PAUSE
        case SetStatusChange():
            return StepRole.FINAL_STATUS
        case AddLeadsChange() | UpdateLeadsChange() | RemoveLeadsChange():
            return StepRole.LEADS
    return StepRole.OTHER


def describe(change: Change) -> str:
    """A short, PII-free line for progress, journal and report; names read from Smartlead (an
    old name, a webhook made in the UI) shown escaped, as in plans."""
    return printable(_describe(change))


def _describe(change: Change) -> str:
    match change:
        case CreateCampaignChange():
            return "create campaign"
        case RenameChange(Rename(old_name=old)):
            return f"rename (was '{old}')"
        case PauseForSequenceChange(status) | SetStatusChange(status):
            return _status_text(status)
        case UpdateSettingsChange():
            names = sorted({f.path.split(".")[-1] for f in change.fields})
            if len(names) > MAX_NAMES_SHOWN:
                return f"update settings ({len(names)} fields)"
            return "update settings" + (f" ({', '.join(names)})" if names else "")
        case UpdateScheduleChange():
            return "update schedule"
        case SaveSequenceChange(SaveSequence(steps=steps)):
            return f"save sequence ({len(steps)} step(s))"
        case AttachMailboxesChange(MailboxChange(mailboxes=boxes)):
            return f"attach {', '.join(m.email for m in boxes)}"
        case DetachMailboxesChange(MailboxChange(mailboxes=boxes)):
            return f"detach {', '.join(m.email for m in boxes)}"
        case DeleteWebhookChange(WebhookChange(webhook=hook)):
            return f"delete webhook '{hook.name}'"
        case UpdateWebhookChange(WebhookChange(webhook=hook)):
            return f"update webhook '{hook.name}'"
        case CreateWebhookChange(WebhookChange(webhook=hook)):
            return f"create webhook '{hook.name}'"
        case AddLeadsChange(LeadBatch(leads=leads, number=n, of=total)):
            return f"add {len(leads)} lead(s), batch {n}/{total}"
        case UpdateLeadsChange() | RemoveLeadsChange():
            return change.kind.value.replace("_", " ")
        case DeleteCampaignChange():
            return "delete campaign"
        case _:
            return assert_never(change)


def _status_text(status: SetStatus) -> str:
    if status.temporary:
        return f"set status {status.status.value} (temporary, for the sequence save)"
    if status.restore:
        return f"set status {status.status.value} (restore after the sequence save)"
    return f"set status {status.status.value}"
