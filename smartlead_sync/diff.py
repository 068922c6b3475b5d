"""(desired, live) -> the ordered changes of one campaign, or the problems that prevent them.

Changes come out in apply order (design.md): create -> pause -> rename, settings, schedule ->
sequence -> mailboxes -> webhooks -> leads -> final status. Payloads carry the desired values
as the files wrote them, with live ids where apply needs them; display fields are normalized.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from smartlead_sync.diff_config import (
    managed_step_write_only,
    managed_write_only,
    schedule_changes,
    sequence_changes,
    sequence_with_live_ids,
    settings_changes,
    webhook_changes,
)
from smartlead_sync.diff_leads import diff_leads, lead_summary
from smartlead_sync.errors import Problem
from smartlead_sync.masking import mask_email
from smartlead_sync.normalize import normalize_campaign, normalize_webhook
from smartlead_sync.plan import (
    Change,
    ChangeKind,
    CreateCampaign,
    DeleteCampaign,
    FieldChange,
    LeadBatch,
    LeadRemovals,
    LeadUpdates,
    MailboxChange,
    Rename,
    SaveSequence,
    UpdateSchedule,
    UpdateSettings,
    WebhookChange,
)
from smartlead_sync.refusals import Refusals, lead_digest
from smartlead_sync.state import (
    CampaignState,
    DesiredCampaign,
    Lead,
    LeadPolicy,
    Mailbox,
    Status,
    Webhook,
)
from smartlead_sync.status import status_changes


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
        return CampaignDiff(
            (Change(ChangeKind.DELETE_CAMPAIGN, fields, payload=DeleteCampaign(live.id)),)
        )
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
        changes = (*create, *status.before, *config, *sequence, *rest, *status.after)
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
        return [Change(ChangeKind.CREATE_CAMPAIGN, tuple(fields), payload=payload)]

    def _rename(self) -> list[Change]:
        if self.have is None or self.have.name == self.want.name:
            return []
        fields = (FieldChange("name", self.have.name, self.want.name),)
        return [Change(ChangeKind.RENAME, fields, payload=Rename(self.have.name, self.raw.name))]

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
        return [Change(ChangeKind.UPDATE_SETTINGS, fields, note=note, payload=payload)]

    def _schedule(self) -> list[Change]:
        if self.raw.schedule is None:
            return []
        fields = schedule_changes(
            self.want.schedule, None if self.have is None else self.have.schedule
        )
        if not fields:
            return []
        return [
            Change(ChangeKind.UPDATE_SCHEDULE, fields, payload=UpdateSchedule(self.raw.schedule))
        ]

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
        return [Change(ChangeKind.SAVE_SEQUENCE, fields, note=note, payload=SaveSequence(steps))]

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
        changes = []
        if attach:
            fields = tuple(FieldChange("mailbox", None, m) for m in attach)
            payload = MailboxChange(self._resolve(attach, attached=False))
            changes.append(Change(ChangeKind.ATTACH_MAILBOXES, fields, payload=payload))
        if detach:
            fields = tuple(FieldChange("mailbox", m, None) for m in detach)
            payload = MailboxChange(self._resolve(detach, attached=True))
            changes.append(Change(ChangeKind.DETACH_MAILBOXES, fields, payload=payload))
        return changes

    def _webhooks(self) -> list[Change]:
        if self.raw.webhooks is None:
            return []
        desired: dict[str, tuple[Webhook, Webhook]] = {}
        for raw in self.raw.webhooks:
            norm = normalize_webhook(raw)
            desired[norm.name] = (norm, raw)
        diff = webhook_changes(desired, None if self.have is None else self.have.webhooks)
        changes = [
            Change(
                ChangeKind.DELETE_WEBHOOK,
                _webhook_gone(hook),
                target=hook.name,
                payload=WebhookChange(hook),
            )
            for hook in diff.delete
        ]
        for kind, pairs in (
            (ChangeKind.UPDATE_WEBHOOK, diff.update),
            (ChangeKind.CREATE_WEBHOOK, diff.create),
        ):
            changes += [
                Change(kind, fields, target=hook.name, payload=WebhookChange(hook))
                for hook, fields in pairs
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
        changes = _add_batches(self._not_refused(diff.adds), policy, self.context.lead_batch_size)
        if diff.updates:
            names = [n for u in diff.updates for n in u.changed]
            summary = lead_summary((u.email for u in diff.updates), len(diff.updates), names)
            note = "account-wide: Smartlead changes these leads in every campaign they are in"
            changes.append(
                Change(
                    ChangeKind.UPDATE_LEADS,
                    leads=summary,
                    note=note,
                    payload=LeadUpdates(diff.updates),
                )
            )
        if diff.removals:
            summary = lead_summary((lead.email for lead in diff.removals), len(diff.removals))
            changes.append(
                Change(
                    ChangeKind.REMOVE_LEADS,
                    leads=summary,
                    note="their history in this campaign goes with them",
                    payload=LeadRemovals(diff.removals),
                )
            )
        return changes


    def _not_refused(self, adds: tuple[Lead, ...]) -> tuple[Lead, ...]:
        """The adds, less the leads Smartlead refused before in this campaign."""
        known = {} if self.live is None else self.context.refused.get(self.live.id or 0, {})
        if not known:
            return adds
        kept = []
        for lead in adds:
            reason = known.get(lead_digest(lead.key))
            if reason is None:
                kept.append(lead)
            else:
                self.refused.append((mask_email(lead.email), reason))
        return tuple(kept)


def _webhook_gone(hook: Webhook) -> tuple[FieldChange, ...]:
    return (FieldChange("url", hook.url, None), FieldChange("event_types", hook.event_types, None))


def _add_batches(leads: tuple[Lead, ...], policy: LeadPolicy, size: int) -> list[Change]:
    total = (len(leads) + size - 1) // size
    changes = []
    for number in range(1, total + 1):
        batch = leads[(number - 1) * size : number * size]
        summary = lead_summary((lead.email for lead in batch), len(batch))
        payload = LeadBatch(batch, policy, number, total)
        changes.append(Change(ChangeKind.ADD_LEADS, leads=summary, payload=payload))
    return changes
