"""(desired, live) -> the ordered changes of one campaign, or the problems that prevent them.

Changes come out in apply order, each type's rank (changes.py). Payloads carry the desired
values as the files wrote them, with live ids where apply needs them; display fields are
normalized.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from smartlead_sync.errors import Problem
from smartlead_sync.plan.change_kinds import FieldChange
from smartlead_sync.plan.changes import (
    AttachMailboxesChange,
    Change,
    CreateCampaignChange,
    CreateWebhookChange,
    DeleteCampaignChange,
    DeleteWebhookChange,
    DetachMailboxesChange,
    RenameChange,
    SaveSequenceChange,
    UpdateScheduleChange,
    UpdateSettingsChange,
    UpdateWebhookChange,
    in_apply_order,
)
from smartlead_sync.plan.diff_config import (
    managed_step_write_only,
    managed_write_only,
    schedule_changes,
    sequence_changes,
    sequence_with_live_ids,
    settings_changes,
    webhook_changes,
)
from smartlead_sync.plan.diff_lead_changes import lead_changes, without_refused
from smartlead_sync.plan.diff_leads import diff_leads
from smartlead_sync.plan.normalize import normalize_campaign, normalize_webhook
from smartlead_sync.plan.payloads import (
    CreateCampaign,
    DeleteCampaign,
    MailboxChange,
    Rename,
    SaveSequence,
    UpdateSchedule,
    UpdateSettings,
    WebhookChange,
)
from smartlead_sync.plan.refusals import Refusals
from smartlead_sync.plan.status import status_changes
from smartlead_sync.state import CampaignState, DesiredCampaign, Mailbox, Status, Webhook


@dataclass(frozen=True)
class DiffContext:
    """What the diff needs beyond the two campaigns: the account's mailboxes by lower-cased
    email, the lead batch size, and the leads Smartlead refused before (refusals.py)."""

    mailboxes: Mapping[str, Mailbox]
    lead_batch_size: int
    refused: Refusals = field(default_factory=dict)


@dataclass(frozen=True)
class CampaignDiff:
    changes: tuple[Change, ...] = ()
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    unverifiable: tuple[str, ...] = ()  # managed write-only settings of an existing campaign
    refused: tuple[tuple[str, str], ...] = ()  # (masked email, reason) not planned as adds


def diff_campaign(
    desired: DesiredCampaign, live: CampaignState | None, context: DiffContext
) -> CampaignDiff:
    """The changes that make `live` (None: not yet created) match `desired`."""
    if desired.delete:
        if live is None or live.id is None:
            return CampaignDiff(notes=("marked for deletion; already absent from Smartlead",))
        fields = (FieldChange("name", live.name, None),)
        return CampaignDiff((DeleteCampaignChange(DeleteCampaign(live.id), fields=fields),))
    builder = _Builder(desired, live, context)
    return builder.build()


class _Builder:
    """Diffs one campaign section by section, collecting problems instead of stopping."""

    def __init__(self, desired: DesiredCampaign, live: CampaignState | None, context: DiffContext):
        self.desired = desired
        self.raw = desired.state
        self.want = normalize_campaign(desired.state)
        self.live = live
        self.have = None if live is None else normalize_campaign(live)
        self.context = context
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.refused: list[tuple[str, str]] = []

    def problem(self, message: str, code: str, hint: str | None = None) -> None:
        text = f"campaign '{self.raw.name}': {message}"
        self.problems.append(Problem(text, file=self.desired.source, code=code, hint=hint))

    def build(self) -> CampaignDiff:
        create = self._create()
        config = [*self._rename(), *self._settings(), *self._schedule()]
        sequence = self._sequence()
        rest = [*self._mailboxes(), *self._webhooks(), *self._leads()]
        live_status = Status.DRAFTED if self.have is None else self.have.status
        status = status_changes(self.want.status, live_status, pausing=bool(sequence))
        if status.problem:
            self.problem(status.problem, "impossible-status", status.hint)
        changes = in_apply_order(
            (*create, *status.before, *config, *sequence, *rest, *status.after)
        )
        unverifiable: tuple[str, ...] = ()
        if self.have is not None:
            unverifiable = (
                *(f"settings.{n}" for n in managed_write_only(self.raw.settings)),
                *managed_step_write_only(self.raw.sequence),
            )
        return CampaignDiff(
            changes, tuple(self.problems), tuple(self.notes), unverifiable, tuple(self.refused)
        )

    def _create(self) -> list[Change]:
        if self.have is not None:
            return []
        fields = [FieldChange("name", None, self.want.name)]
        if self.want.client_id is not None:
            fields.append(FieldChange("client_id", None, self.want.client_id))
        payload = CreateCampaign(self.raw.name, self.raw.client_id)
        return [CreateCampaignChange(payload, fields=tuple(fields))]

    def _rename(self) -> list[Change]:
        if self.have is None or self.have.name == self.want.name:
            return []
        fields = (FieldChange("name", self.have.name, self.want.name),)
        return [RenameChange(Rename(self.have.name, self.raw.name), fields=fields)]

    def _settings(self) -> list[Change]:
        fields = settings_changes(
            self.want.settings, None if self.have is None else self.have.settings
        )
        if not fields:
            return []
        write_only = managed_write_only(self.raw.settings)
        note = None
        if write_only and self.have is not None:
            note = "also sends the write-only settings " + ", ".join(write_only)
        payload = UpdateSettings(
            self.raw.settings, None if self.live is None else self.live.settings
        )
        return [UpdateSettingsChange(payload, fields=fields, note=note)]

    def _schedule(self) -> list[Change]:
        if self.raw.schedule is None:
            return []
        fields = schedule_changes(
            self.want.schedule, None if self.have is None else self.have.schedule
        )
        if not fields:
            return []
        return [UpdateScheduleChange(UpdateSchedule(self.raw.schedule), fields=fields)]

    def _sequence(self) -> list[Change]:
        if self.raw.sequence is None:
            return []
        live_steps = None if self.have is None else self.have.sequence
        fields = sequence_changes(self.want.sequence, live_steps)
        if not fields:
            return []
        raw_live = None if self.live is None else self.live.sequence
        steps = sequence_with_live_ids(self.raw.sequence, raw_live)
        kept = sum(1 for s in steps if s.id is not None)
        note = f"saved whole; {kept} existing step(s) keep their ids and stats" if kept else None
        return [SaveSequenceChange(SaveSequence(steps), fields=fields, note=note)]

    def _resolve(self, emails: list[str], attached: bool) -> tuple[Mailbox, ...]:
        found: list[Mailbox] = []
        for email in emails:
            mailbox = self.context.mailboxes.get(email)
            if mailbox is not None:
                found.append(mailbox)
            elif attached:
                self.problem(
                    f"mailbox {email} is attached in Smartlead but missing from the account's "
                    "mailbox list",
                    "unknown-mailbox",
                )
            else:
                self.problem(
                    f"mailbox {email} is not a sender account in this Smartlead account",
                    "unknown-mailbox",
                    "connect the mailbox in Smartlead first, or fix the address in the file",
                )
        return tuple(found)

    def _mailboxes(self) -> list[Change]:
        if self.want.mailboxes is None:
            return []
        have = set(() if self.have is None else self.have.mailboxes or ())
        attach = [m for m in self.want.mailboxes if m not in have]
        detach = sorted(have - set(self.want.mailboxes))
        # Attach before detach: a swap never leaves a running campaign without a sender.
        changes: list[Change] = []
        if attach:
            fields = tuple(FieldChange("mailbox", None, m) for m in attach)
            payload = MailboxChange(self._resolve(attach, attached=False))
            changes.append(AttachMailboxesChange(payload, fields=fields))
        if detach:
            fields = tuple(FieldChange("mailbox", m, None) for m in detach)
            payload = MailboxChange(self._resolve(detach, attached=True))
            changes.append(DetachMailboxesChange(payload, fields=fields))
        return changes

    def _webhooks(self) -> list[Change]:
        if self.raw.webhooks is None:
            return []
        desired: dict[str, tuple[Webhook, Webhook]] = {}
        for raw in self.raw.webhooks:
            norm = normalize_webhook(raw)
            desired[norm.name] = (norm, raw)
        diff = webhook_changes(desired, None if self.have is None else self.have.webhooks)
        changes: list[Change] = [
            DeleteWebhookChange(WebhookChange(hook), fields=_webhook_gone(hook), target=hook.name)
            for hook in diff.delete
        ]
        changes += [
            UpdateWebhookChange(WebhookChange(hook), fields=fields, target=hook.name)
            for hook, fields in diff.update
        ]
        changes += [
            CreateWebhookChange(WebhookChange(hook), fields=fields, target=hook.name)
            for hook, fields in diff.create
        ]
        return changes

    def _leads(self) -> list[Change]:
        wanted = self.raw.leads
        if wanted is None:
            return []
        live_leads = None if self.live is None else self.live.leads
        if self.live is not None and live_leads is None:
            live_leads = {}
        policy = self.desired.lead_policy
        diff = diff_leads(wanted, live_leads, prune=policy.prune)
        if diff.kept:
            self.notes.append(
                f"{diff.kept} lead(s) in Smartlead are not in the files and are kept "
                "(set `prune: true` to remove them)"
            )
        known = {} if self.live is None else self.context.refused.get(self.live.id or 0, {})
        adds, refused = without_refused(diff.adds, known)
        self.refused += refused
        return lead_changes(diff, adds, policy, self.context.lead_batch_size)


def _webhook_gone(hook: Webhook) -> tuple[FieldChange, ...]:
    return (FieldChange("url", hook.url, None), FieldChange("event_types", hook.event_types, None))
