"""What a change sends: the payloads apply carries out, one type per kind of write.

A payload holds the desired values as the files wrote them, with the live ids apply needs.
Several kinds of change share a payload type (an attach and a detach both name mailboxes); the
change types in changes.py say which write it is. Their class names appear in plan files
(`"type"` of a change's payload), so they are part of the file format.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartlead_sync.state import (
    CampaignSettings,
    Lead,
    LeadPolicy,
    Mailbox,
    Schedule,
    Status,
    Step,
    Webhook,
)


@dataclass(frozen=True, slots=True)
class CreateCampaign:
    name: str
    client_id: int | None


@dataclass(frozen=True, slots=True)
class Rename:
    old_name: str
    new_name: str


@dataclass(frozen=True, slots=True)
class SetStatus:
    """Write a status. `temporary`: a pause that a later SET_STATUS undoes; `restore`: that undo."""

    status: Status
    temporary: bool = False
    restore: bool = False


@dataclass(frozen=True, slots=True)
class UpdateSettings:
    """Every managed setting as the files say, write-only ones included (they cannot be diffed,
    so they travel with every settings write). `current`: the live settings (None for a new
    campaign), for fields Smartlead writes as one value, e.g. `track_settings` (§3.7).
    `name` is not here: see Rename."""

    settings: CampaignSettings
    current: CampaignSettings | None = None


@dataclass(frozen=True, slots=True)
class UpdateSchedule:
    schedule: Schedule  # complete: Smartlead wants all fields on every schedule write (§3.8)


@dataclass(frozen=True, slots=True)
class SaveSequence:
    """The whole desired sequence, with live step ids mapped by step number and variant ids by
    label so that ids and their stats survive (§4.2). Steps and variants left out are deleted."""

    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class MailboxChange:
    mailboxes: tuple[Mailbox, ...]  # resolved from the account's mailboxes by email


@dataclass(frozen=True, slots=True)
class WebhookChange:
    webhook: Webhook  # id None for create; the live id for update and delete


@dataclass(frozen=True, slots=True)
class LeadBatch:
    """One add-leads call: at most `ToolSettings.lead_batch_size` leads."""

    leads: tuple[Lead, ...]
    policy: LeadPolicy
    number: int  # 1-based batch number within the campaign
    of: int


@dataclass(frozen=True, slots=True)
class LeadUpdate:
    """One lead-update call. Account-wide in Smartlead (§5.5). `custom_fields` is the live map
    with the desired keys set, so the result is right whether Smartlead merges or replaces."""

    lead_id: int
    email: str
    fields: tuple[tuple[str, str], ...]  # standard fields that change: (name, new value)
    custom_fields: tuple[tuple[str, str], ...]
    changed: tuple[str, ...]  # names of what changes, e.g. ("first_name", "custom_fields.Role")


@dataclass(frozen=True, slots=True)
class LeadUpdates:
    updates: tuple[LeadUpdate, ...]


@dataclass(frozen=True, slots=True)
class LeadRemovals:
    leads: tuple[Lead, ...]  # live leads, with ids


@dataclass(frozen=True, slots=True)
class DeleteCampaign:
    campaign_id: int


Payload = (
    CreateCampaign
    | Rename
    | SetStatus
    | UpdateSettings
    | UpdateSchedule
    | SaveSequence
    | MailboxChange
    | WebhookChange
    | LeadBatch
    | LeadUpdates
    | LeadRemovals
    | DeleteCampaign
)
