"""The closed set of changes a plan holds: one type per kind, each carrying its payload and its
place in the apply order (`rank`).

Apply order (design.md): create -> pause -> rename, settings, schedule -> sequence ->
mailboxes -> webhooks -> leads -> final status; a deletion stands alone. A runnable change
always has its payload, so apply dispatches on the type. A change read back from a plan file
is a `SavedChange`: what it shows, never what it writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, NoReturn

from smartlead_sync.plan.change_kinds import ChangeKind, FieldChange, LeadSummary, is_irreversible
from smartlead_sync.plan.payloads import (
    CreateCampaign,
    DeleteCampaign,
    LeadBatch,
    LeadRemovals,
    LeadUpdates,
    MailboxChange,
    Rename,
    SaveSequence,
    SetStatus,
    UpdateSchedule,
    UpdateSettings,
    WebhookChange,
)

# ----- the change types ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Shown:
    fields: tuple[FieldChange, ...] = ()
    leads: LeadSummary | None = None
    target: str | None = None  # the object within the campaign, e.g. the webhook's name
    note: str | None = None  # one short remark for the reader (why, side effects)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Runnable(_Shown):
    kind: ClassVar[ChangeKind]
    rank: ClassVar[int]  # place in the apply order: lower runs first

    @property
    def irreversible(self) -> bool:
        return is_irreversible(self)


@dataclass(frozen=True, slots=True)
class CreateCampaignChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.CREATE_CAMPAIGN
    rank: ClassVar[int] = 0
    payload: CreateCampaign


@dataclass(frozen=True, slots=True)
class PauseForSequenceChange(_Runnable):
    """A pause before a sequence save of an active campaign (§4.2). Temporary (undone by the
    final status write) unless the file itself asks for paused, which it then is."""

    kind: ClassVar[ChangeKind] = ChangeKind.PAUSE
    rank: ClassVar[int] = 1
    payload: SetStatus


@dataclass(frozen=True, slots=True)
class RenameChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.RENAME
    rank: ClassVar[int] = 2
    payload: Rename


@dataclass(frozen=True, slots=True)
class UpdateSettingsChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.UPDATE_SETTINGS
    rank: ClassVar[int] = 3
    payload: UpdateSettings


@dataclass(frozen=True, slots=True)
class UpdateScheduleChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.UPDATE_SCHEDULE
    rank: ClassVar[int] = 4
    payload: UpdateSchedule


@dataclass(frozen=True, slots=True)
class SaveSequenceChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.SAVE_SEQUENCE
    rank: ClassVar[int] = 5
    payload: SaveSequence


@dataclass(frozen=True, slots=True)
class AttachMailboxesChange(_Runnable):
    """Before a detach: a swap never leaves a running campaign without a sender."""

    kind: ClassVar[ChangeKind] = ChangeKind.ATTACH_MAILBOXES
    rank: ClassVar[int] = 6
    payload: MailboxChange


@dataclass(frozen=True, slots=True)
class DetachMailboxesChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.DETACH_MAILBOXES
    rank: ClassVar[int] = 7
    payload: MailboxChange


@dataclass(frozen=True, slots=True)
class DeleteWebhookChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.DELETE_WEBHOOK
    rank: ClassVar[int] = 8
    payload: WebhookChange  # the live webhook, with its id


@dataclass(frozen=True, slots=True)
class UpdateWebhookChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.UPDATE_WEBHOOK
    rank: ClassVar[int] = 9
    payload: WebhookChange  # the desired webhook with the live id


@dataclass(frozen=True, slots=True)
class CreateWebhookChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.CREATE_WEBHOOK
    rank: ClassVar[int] = 10
    payload: WebhookChange  # id None


@dataclass(frozen=True, slots=True)
class AddLeadsChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.ADD_LEADS
    rank: ClassVar[int] = 11
    payload: LeadBatch


@dataclass(frozen=True, slots=True)
class UpdateLeadsChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.UPDATE_LEADS
    rank: ClassVar[int] = 12
    payload: LeadUpdates


@dataclass(frozen=True, slots=True)
class RemoveLeadsChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.REMOVE_LEADS
    rank: ClassVar[int] = 13
    payload: LeadRemovals


@dataclass(frozen=True, slots=True)
class SetStatusChange(_Runnable):
    """The final status: the one the file asks for, or the restore after a temporary pause."""

    kind: ClassVar[ChangeKind] = ChangeKind.SET_STATUS
    rank: ClassVar[int] = 14
    payload: SetStatus


@dataclass(frozen=True, slots=True)
class DeleteCampaignChange(_Runnable):
    kind: ClassVar[ChangeKind] = ChangeKind.DELETE_CAMPAIGN
    rank: ClassVar[int] = 15
    payload: DeleteCampaign


# What changes an existing campaign: every change but its creation.
CampaignWrite = (
    PauseForSequenceChange
    | RenameChange
    | UpdateSettingsChange
    | UpdateScheduleChange
    | SaveSequenceChange
    | AttachMailboxesChange
    | DetachMailboxesChange
    | DeleteWebhookChange
    | UpdateWebhookChange
    | CreateWebhookChange
    | AddLeadsChange
    | UpdateLeadsChange
    | RemoveLeadsChange
    | SetStatusChange
    | DeleteCampaignChange
)
Change = CreateCampaignChange | CampaignWrite
WebhookWrite = DeleteWebhookChange | UpdateWebhookChange | CreateWebhookChange
LeadsChange = AddLeadsChange | UpdateLeadsChange | RemoveLeadsChange


def in_apply_order(changes: Iterable[Change]) -> tuple[Change, ...]:
    """`changes` sorted by rank; changes of one rank (lead batches) keep their order."""
    return tuple(sorted(changes, key=lambda change: change.rank))


@dataclass(frozen=True, slots=True)
class SavedChange(_Shown):
    """A change read back from a plan file: enough to render it, judge it against the safety
    rules and compare it with a rebuilt plan, never to run it (apply rebuilds the plan and
    runs the rebuild, which the fingerprints prove equal)."""

    kind: ChangeKind
    payload: ClassVar[None] = None

    @property
    def irreversible(self) -> bool:
        return is_irreversible(self)


def assert_never(value: NoReturn) -> NoReturn:
    """The arm a closed `match` never reaches: mypy proves every type handled above it."""
    raise AssertionError(f"unhandled change type {type(value).__name__}")
