"""From a Plan to executor steps, and the performer that carries each step out on Smartlead.

A plan's changes are already in apply order (design.md); each becomes one step, except lead
updates and removals, which become one step per lead (one call each) so that a stop or a
failure leaves an exact record of which leads were done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import Any

from smartlead_sync.apply.batchcap import BatchCap
from smartlead_sync.apply.created import check_created
from smartlead_sync.apply.jobs import CampaignJob, CreatedCheck, Step, StepResult, StepRole
from smartlead_sync.apply.leads import credits_exhausted, tally_batch, unsent, verify_batch
from smartlead_sync.apply.report import CampaignReport
from smartlead_sync.errors import SyncError
from smartlead_sync.estimate import READ_BACK
from smartlead_sync.masking import mask_email
from smartlead_sync.plan import (
    CampaignPlan,
    Change,
    ChangeKind,
    CreateCampaign,
    DeleteCampaign,
    LeadBatch,
    LeadRemovals,
    LeadUpdate,
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
from smartlead_sync.settings import MAX_LEAD_BATCH_SIZE
from smartlead_sync.smartlead.claims import Claim, claim_webhook, settle_webhook
from smartlead_sync.smartlead.client import ValidationError
from smartlead_sync.smartlead.leads import LASTING_REFUSALS, LeadBatchResult, SkipReason
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import CampaignPart, Lead, Status, Webhook

MAX_NAMES_SHOWN = 3
_ROLES = {
    ChangeKind.CREATE_CAMPAIGN: StepRole.CREATE,
    ChangeKind.PAUSE: StepRole.TEMPORARY_PAUSE,
    ChangeKind.SET_STATUS: StepRole.FINAL_STATUS,
    ChangeKind.ADD_LEADS: StepRole.LEADS,
    ChangeKind.UPDATE_LEADS: StepRole.LEADS,
    ChangeKind.REMOVE_LEADS: StepRole.LEADS,
}


def jobs_from_plan(plan: Plan) -> list[CampaignJob]:
    """One job per campaign of the plan, its steps in plan order."""
    return [
        CampaignJob(c.name, list(steps_for(c)), source=c.source, campaign_id=c.live_id)
        for c in plan.campaigns
    ]


def steps_for(campaign: CampaignPlan) -> Iterator[Step]:
    for change in campaign.changes:
        role = _role(change)
        match change.payload:
            case LeadUpdates(updates=updates):
                for update in updates:
                    summary = f"update lead {mask_email(update.email)}"
                    yield Step(change.kind.value, summary, role, update, leads=1)
            case LeadRemovals(leads=leads):
                for lead in leads:
                    summary = f"remove lead {mask_email(lead.email)}"
                    yield Step(change.kind.value, summary, role, lead, leads=1)
            case LeadBatch(leads=leads):
                yield Step(change.kind.value, describe(change), role, change.payload, len(leads))
            case None:
                raise SyncError(
                    f"the plan for '{campaign.name}' carries no payload for {change.kind.value}",
                    hint="apply rebuilds the plan from the files; this is a bug",
                )
            case payload:
                yield Step(change.kind.value, describe(change), role, payload)


def _role(change: Change) -> StepRole:
    """A pause the files ask for is kept: only a temporary one is undone at the end."""
    match change.payload:
        case SetStatus(temporary=False) if change.kind is ChangeKind.PAUSE:
            return StepRole.OTHER
    return _ROLES.get(change.kind, StepRole.OTHER)


def describe(change: Change) -> str:
    """A short, PII-free line for progress, journal and report."""
    match change.payload:
        case CreateCampaign():
            return "create campaign"
        case Rename(old_name=old):
            return f"rename (was '{old}')"
        case SetStatus(status=status, temporary=True):
            return f"set status {status.value} (temporary, for the sequence save)"
        case SetStatus(status=status, restore=True):
            return f"set status {status.value} (restore after the sequence save)"
        case SetStatus(status=status):
            return f"set status {status.value}"
        case UpdateSettings():
            names = sorted({f.path.split(".")[-1] for f in change.fields})
            if len(names) > MAX_NAMES_SHOWN:
                return f"update settings ({len(names)} fields)"
            return "update settings" + (f" ({', '.join(names)})" if names else "")
        case UpdateSchedule():
            return "update schedule"
        case SaveSequence(steps=steps):
            return f"save sequence ({len(steps)} step(s))"
        case MailboxChange(mailboxes=boxes):
            verb = "attach" if change.kind is ChangeKind.ATTACH_MAILBOXES else "detach"
            return f"{verb} {', '.join(m.email for m in boxes)}"
        case WebhookChange(webhook=hook):
            return f"{change.kind.value.split('_')[0]} webhook '{hook.name}'"
        case LeadBatch(leads=leads, number=n, of=total):
            return f"add {len(leads)} lead(s), batch {n}/{total}"
        case DeleteCampaign():
            return "delete campaign"
    return change.kind.value.replace("_", " ")


class ProviderPerformer:
    """Carries steps out through the provider; the lead tallies go into each campaign's report."""

    def __init__(
        self,
        provider: SmartleadProvider,
        *,
        shield: Callable[[], AbstractContextManager[None]] = nullcontext,
        batch_cap: BatchCap | None = None,
    ) -> None:
        self._provider = provider
        self._shield = shield
        self._cap = batch_cap or BatchCap(MAX_LEAD_BATCH_SIZE)
        self.refused: dict[str, set[str]] = {}  # campaign -> lead keys Smartlead refused
        # For the refusal record (refusals.py): by live campaign id, lead key -> lasting
        # reason, and the lead keys that did attach.
        self.lasting: dict[int, dict[str, str]] = {}
        self.attached: dict[int, set[str]] = {}
        # campaign -> parts whose writes the answers did not confirm: read back after apply
        self.to_read: dict[str, set[CampaignPart]] = {}

    def _unconfirmed(self, job: CampaignJob, part: CampaignPart) -> None:
        self.to_read.setdefault(job.name, set()).add(part)

    def perform(self, job: CampaignJob, step: Step, report: CampaignReport) -> StepResult:
        payload = step.payload
        if isinstance(payload, CreateCampaign):
            claim = self._create_campaign(payload)
            return StepResult(claim.describe(), created_id=claim.id, adopted=claim.adopted)
        campaign_id = job.campaign_id
        if campaign_id is None:
            raise SyncError(f"'{job.name}' has no campaign id for {step.summary}")
        return self._perform_on(campaign_id, job, step, report)

    def _perform_on(
        self, campaign_id: int, job: CampaignJob, step: Step, report: CampaignReport
    ) -> StepResult:
        read_back = READ_BACK.get(ChangeKind(step.kind))
        if read_back is not None:  # marked first: a failure after the send may have written
            self._unconfirmed(job, read_back)
        p = self._provider
        match step.payload:
            case Rename(new_name=name):
                p.rename_campaign(campaign_id, name)
            case SetStatus(status=status):
                p.set_status(campaign_id, status)
            case UpdateSettings(settings=settings, current=current):
                p.update_settings(campaign_id, settings, current=current)
            case UpdateSchedule(schedule=schedule):
                p.save_schedule(campaign_id, schedule)
            case SaveSequence(steps=steps):
                p.save_sequence(campaign_id, steps)
            case MailboxChange(mailboxes=boxes):
                ids = [m.id for m in boxes]
                if step.kind == ChangeKind.DETACH_MAILBOXES.value:
                    p.detach_mailboxes(campaign_id, ids)
                elif not p.attach_mailboxes(campaign_id, ids):
                    self._unconfirmed(job, CampaignPart.MAILBOXES)
            case WebhookChange(webhook=hook) if step.kind == ChangeKind.DELETE_WEBHOOK.value:
                if hook.id is not None:
                    p.delete_webhook(campaign_id, hook.id)
            case WebhookChange(webhook=hook) if hook.id is None and p.guard_concurrent_runs:
                return StepResult(self._create_webhook(campaign_id, job, hook).describe())
            case WebhookChange(webhook=hook):
                hook_id, confirmed = p.write_webhook(campaign_id, hook)
                if not confirmed:
                    self._unconfirmed(job, CampaignPart.WEBHOOKS)
                return StepResult(detail=f"id {hook_id}")
            case LeadBatch() as batch:
                return self._add_leads(campaign_id, job, batch, report)
            case LeadUpdate() as update:
                p.update_lead(campaign_id, _lead_from_update(update))
                report.leads.updated += 1
            case Lead(id=lead_id) if lead_id is not None:
                p.delete_lead(campaign_id, lead_id)
                report.leads.removed += 1
            case DeleteCampaign(campaign_id=doomed):
                p.delete_campaign(doomed)
            case other:
                raise SyncError(f"cannot carry out {step.kind} ({type(other).__name__})")
        return StepResult()

    def _create_campaign(self, payload: CreateCampaign) -> Claim:
        """Created only: `verify_created` settles the whole wave of creates with one list."""
        return Claim(self._provider.create_campaign(payload.name, payload.client_id))

    def _create_webhook(self, campaign_id: int, job: CampaignJob, hook: Webhook) -> Claim:
        """Create, then settle against a concurrent run (claims.py). On a campaign adopted from
        another run, which may be writing the same webhook now, look first as well."""
        p = self._provider
        if job.adopted:
            return claim_webhook(p, campaign_id, hook)
        hook_id, confirmed = p.write_webhook(campaign_id, hook)
        claim = settle_webhook(p, campaign_id, hook, hook_id)
        if not confirmed and not claim.adopted:  # the list shows its name, not its content
            self._unconfirmed(job, CampaignPart.WEBHOOKS)
        return claim

    def _add_leads(
        self, campaign_id: int, job: CampaignJob, batch: LeadBatch, report: CampaignReport
    ) -> StepResult:
        result = self._send_in_parts(campaign_id, batch)
        outcome = verify_batch(batch.leads, result)
        if outcome.unexplained:  # the answer does not say where some leads went
            self._unconfirmed(job, CampaignPart.LEADS)
        tally_batch(report.leads, len(batch.leads), outcome)
        self.refused.setdefault(job.name, set()).update(outcome.refused_keys)
        self.attached.setdefault(campaign_id, set()).update(result.added)
        self.lasting.setdefault(campaign_id, {}).update(
            (key, reason.value)
            for key, reason in result.skipped.items()
            if reason in LASTING_REFUSALS
        )
        if result.limit_exhausted:
            later = [
                step.payload.leads
                for step in job.steps
                if isinstance(step.payload, LeadBatch) and step.payload.number > batch.number
            ]
            raise credits_exhausted(outcome, unsent(report.leads, later))
        return StepResult(detail=outcome.detail, journal=outcome.journal_fields())

    def _send_in_parts(self, campaign_id: int, batch: LeadBatch) -> LeadBatchResult:
        """The planned batch in parts the account accepts (batchcap.py); a refused part was
        not imported and is sent again smaller, so no lead is lost or sent twice."""
        leads, start = batch.leads, 0
        added: dict[str, int] = {}
        skipped: dict[str, SkipReason] = {}
        while start < len(leads):
            part = leads[start : start + self._cap.size]
            try:
                result = self._provider.add_leads(campaign_id, part, batch.policy)
            except ValidationError as exc:
                if self._cap.refused(len(part), exc.message):
                    continue
                raise
            added.update(result.added)
            skipped.update(result.skipped)
            start += len(part)
            if result.limit_exhausted:  # Smartlead stopped importing: the rest is not sent
                skipped.update((lead.key, SkipReason.CREDIT_LIMIT) for lead in leads[start:])
                return LeadBatchResult(added, skipped, limit_exhausted=True)
        return LeadBatchResult(added, skipped, limit_exhausted=False)

    def restore_status(self, job: CampaignJob, report: CampaignReport) -> str:
        if job.campaign_id is None:
            raise SyncError(f"'{job.name}' has no campaign id to restart")
        with self._shield():
            self._provider.set_status(job.campaign_id, Status.ACTIVE)
        return "set status active (restart after the temporary pause)"

    def verify_created(self, jobs: Sequence[CampaignJob]) -> CreatedCheck:
        return check_created(self._provider, jobs)


def _lead_from_update(update: LeadUpdate) -> Lead:
    """The lead as the update call sends it: the changed standard fields and the custom map."""
    lead = Lead(email=update.email, id=update.lead_id, custom_fields=update.custom_fields)
    fields: dict[str, Any] = dict(update.fields)  # names from OPTIONAL_LEAD_FIELDS
    return replace(lead, **fields)
