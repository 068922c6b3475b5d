"""The performer that carries each step (plan_steps.py) out on Smartlead.

A step carries one change of the plan; the performer dispatches on its type, so every kind of
change has exactly one way to be written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import Any

from smartlead_sync.apply.batchcap import BatchCap
from smartlead_sync.apply.created import check_created
from smartlead_sync.apply.jobs import CampaignJob, CreatedCheck, Step, StepResult
from smartlead_sync.apply.lead_answers import credits_exhausted, tally_batch, unsent, verify_batch
from smartlead_sync.apply.report import CampaignReport
from smartlead_sync.apply.writer import CampaignWriter
from smartlead_sync.errors import SyncError
from smartlead_sync.plan.changes import (
    AddLeadsChange,
    AttachMailboxesChange,
    CampaignWrite,
    Change,
    CreateCampaignChange,
    CreateWebhookChange,
    DeleteCampaignChange,
    DeleteWebhookChange,
    DetachMailboxesChange,
    LeadsChange,
    PauseForSequenceChange,
    RemoveLeadsChange,
    RenameChange,
    SaveSequenceChange,
    SetStatusChange,
    UpdateLeadsChange,
    UpdateScheduleChange,
    UpdateSettingsChange,
    UpdateWebhookChange,
    WebhookWrite,
    assert_never,
)
from smartlead_sync.plan.estimate import READ_BACK
from smartlead_sync.plan.payloads import (
    CreateCampaign,
    LeadBatch,
    LeadRemovals,
    LeadUpdate,
    LeadUpdates,
    MailboxChange,
    Rename,
    SaveSequence,
    SetStatus,
)
from smartlead_sync.smartlead.api_errors import RequestRejected
from smartlead_sync.smartlead.claims import Claim
from smartlead_sync.smartlead.lead_wire import LASTING_REFUSALS, LeadBatchResult, SkipReason
from smartlead_sync.state import CampaignPart, Lead, Status, Webhook
from smartlead_sync.tool_settings import MAX_LEAD_BATCH_SIZE


class ProviderPerformer:
    """Carries steps out through the provider; the lead tallies go into each campaign's report."""

    def __init__(
        self,
        provider: CampaignWriter,
        *,
        shield: Callable[[], AbstractContextManager[None]] = nullcontext,
        batch_cap: BatchCap | None = None,
    ) -> None:
        self._provider = provider
        self._shield = shield
        self._cap = batch_cap or BatchCap(MAX_LEAD_BATCH_SIZE)
        self.refused: dict[str, set[str]] = {}  # campaign -> lead keys Smartlead refused
        # For the refusal record (plan/refusals.py): by live campaign id, lead key -> lasting
        # reason, and the lead keys that did attach.
        self.lasting: dict[int, dict[str, str]] = {}
        self.attached: dict[int, set[str]] = {}
        # campaign -> parts whose writes the answers did not confirm: read back after apply
        self.to_read: dict[str, set[CampaignPart]] = {}

    def _unconfirmed(self, job: CampaignJob, part: CampaignPart) -> None:
        self.to_read.setdefault(job.name, set()).add(part)

    def perform(self, job: CampaignJob, step: Step, report: CampaignReport) -> StepResult:
        change = step.payload
        if not isinstance(change, Change):  # a Step keeps its payload opaque (jobs.py)
            raise SyncError(f"cannot carry out {step.kind} ({type(change).__name__})")
        if isinstance(change, CreateCampaignChange):
            claim = self._create_campaign(change.payload)
            return StepResult(claim.describe(), created_id=claim.id, adopted=claim.adopted)
        campaign_id = job.campaign_id
        if campaign_id is None:
            raise SyncError(f"'{job.name}' has no campaign id for {step.summary}")
        read_back = READ_BACK.get(change.kind)
        if read_back is not None:  # marked first: a failure after the send may have written
            self._unconfirmed(job, read_back)
        return self._perform_on(campaign_id, job, change, report)

    def _perform_on(
        self, campaign_id: int, job: CampaignJob, change: CampaignWrite, report: CampaignReport
    ) -> StepResult:
        p = self._provider
        match change:
            case RenameChange(Rename(new_name=name)):
                p.rename_campaign(campaign_id, name)
            case PauseForSequenceChange(SetStatus(status=status)) | SetStatusChange(
                SetStatus(status=status)
            ):
                p.set_status(campaign_id, status)
            case UpdateSettingsChange(payload):
                p.update_settings(campaign_id, payload.settings, current=payload.current)
            case UpdateScheduleChange(payload):
                p.save_schedule(campaign_id, payload.schedule)
            case SaveSequenceChange(SaveSequence(steps=steps)):
                p.save_sequence(campaign_id, steps)
            case AttachMailboxesChange(MailboxChange(mailboxes=boxes)):
                if not p.attach_mailboxes(campaign_id, [m.id for m in boxes]):
                    self._unconfirmed(job, CampaignPart.MAILBOXES)
            case DetachMailboxesChange(MailboxChange(mailboxes=boxes)):
                p.detach_mailboxes(campaign_id, [m.id for m in boxes])
            case DeleteWebhookChange() | UpdateWebhookChange() | CreateWebhookChange():
                return self._write_webhook(campaign_id, job, change)
            case AddLeadsChange() | UpdateLeadsChange() | RemoveLeadsChange():
                return self._write_leads(campaign_id, job, change, report)
            case DeleteCampaignChange(payload):
                p.delete_campaign(payload.campaign_id)
            case _:
                assert_never(change)
        return StepResult()

    def _write_webhook(
        self, campaign_id: int, job: CampaignJob, change: WebhookWrite
    ) -> StepResult:
        p, hook = self._provider, change.payload.webhook
        if isinstance(change, DeleteWebhookChange):
            if hook.id is not None:
                p.delete_webhook(campaign_id, hook.id)
            return StepResult()
        if hook.id is None and p.guard_concurrent_runs:
            return StepResult(self._create_webhook(campaign_id, job, hook).describe())
        hook_id, confirmed = p.write_webhook(campaign_id, hook)
        if not confirmed:
            self._unconfirmed(job, CampaignPart.WEBHOOKS)
        return StepResult(detail=f"id {hook_id}")

    def _write_leads(
        self, campaign_id: int, job: CampaignJob, change: LeadsChange, report: CampaignReport
    ) -> StepResult:
        """A batch of adds, or the one lead of an update or removal step (see steps_for)."""
        match change:
            case AddLeadsChange(batch):
                return self._add_leads(campaign_id, job, batch, report)
            case UpdateLeadsChange(LeadUpdates(updates=updates)):
                for update in updates:
                    self._provider.update_lead(campaign_id, _lead_from_update(update))
                    report.leads.updated += 1
            case RemoveLeadsChange(LeadRemovals(leads=leads)):
                for lead in leads:
                    if lead.id is None:  # a live lead is read with its id
                        raise SyncError(f"cannot carry out {change.kind.value} (Lead)")
                    self._provider.delete_lead(campaign_id, lead.id)
                    report.leads.removed += 1
            case _:
                assert_never(change)
        return StepResult()

    def _create_campaign(self, payload: CreateCampaign) -> Claim:
        """Created only: `verify_created` settles the whole wave of creates with one list."""
        return Claim(self._provider.create_campaign(payload.name, payload.client_id))

    def _create_webhook(self, campaign_id: int, job: CampaignJob, hook: Webhook) -> Claim:
        """Create, then settle against a concurrent run (claims.py). On a campaign adopted from
        another run, which may be writing the same webhook now, look first as well."""
        p = self._provider
        if job.adopted:
            return p.claim_webhook(campaign_id, hook)
        hook_id, confirmed = p.write_webhook(campaign_id, hook)
        claim = p.settle_webhook(campaign_id, hook, hook_id)
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
                step.payload.payload.leads
                for step in job.steps
                if isinstance(step.payload, AddLeadsChange)
                and step.payload.payload.number > batch.number
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
            except RequestRejected as exc:
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
