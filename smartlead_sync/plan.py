"""The Plan: pure data. What is reviewed (rendered, saved as JSON) is what apply executes.

Per declared campaign a `CampaignPlan` holds an ordered tuple of `Change`s from a closed set
(`ChangeKind`), already in apply order (design.md): create -> pause -> rename, settings,
schedule -> sequence -> mailboxes -> webhooks -> leads -> final status. Each change carries what
to show (`fields`, `leads`) and what to execute (`payload`, one of the payload types below).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from smartlead_sync.settings import Bucket
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
from smartlead_sync.thresholds import CampaignSafety, SafetyThresholds

FORMAT_VERSION = 1


class ChangeKind(str, Enum):
    CREATE_CAMPAIGN = "create_campaign"
    PAUSE = "pause"  # temporary, before a sequence save of an ACTIVE campaign
    RENAME = "rename"
    UPDATE_SETTINGS = "update_settings"
    UPDATE_SCHEDULE = "update_schedule"
    SAVE_SEQUENCE = "save_sequence"
    ATTACH_MAILBOXES = "attach_mailboxes"
    DETACH_MAILBOXES = "detach_mailboxes"
    CREATE_WEBHOOK = "create_webhook"
    UPDATE_WEBHOOK = "update_webhook"
    DELETE_WEBHOOK = "delete_webhook"
    ADD_LEADS = "add_leads"
    UPDATE_LEADS = "update_leads"
    REMOVE_LEADS = "remove_leads"
    SET_STATUS = "set_status"
    DELETE_CAMPAIGN = "delete_campaign"


LEAD_KINDS = frozenset({ChangeKind.ADD_LEADS, ChangeKind.UPDATE_LEADS, ChangeKind.REMOVE_LEADS})


# ----- what to execute ---------------------------------------------------------------------


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

# ----- what to show ------------------------------------------------------------------------

Value = str | int | float | bool | None | tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One leaf that changes: `path` like `settings.track_opens` or `step 2.variant A.subject`.
    `before` None: added; `after` None: removed."""

    path: str
    before: Value
    after: Value


@dataclass(frozen=True, slots=True)
class LeadSummary:
    """Leads as shown: a count, at most three masked samples, the names of changed fields."""

    count: int
    samples: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    fields: tuple[FieldChange, ...] = ()
    leads: LeadSummary | None = None
    target: str | None = None  # the object within the campaign, e.g. the webhook's name
    note: str | None = None  # one short remark for the reader (why, side effects)
    payload: Payload | None = None  # None only in a plan read back from JSON

    @property
    def irreversible(self) -> bool:
        """Stopping, deleting a campaign and removing leads (their history goes with them)."""
        if self.kind in (ChangeKind.DELETE_CAMPAIGN, ChangeKind.REMOVE_LEADS):
            return True
        return self.kind is ChangeKind.SET_STATUS and any(
            f.path == "status" and f.after == Status.STOPPED.value for f in self.fields
        )


class Action(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    NONE = "none"


@dataclass(frozen=True)
class CampaignPlan:
    name: str
    client_id: int | None
    live_id: int | None  # None: the campaign is created
    source: str
    changes: tuple[Change, ...]
    live_status: Status | None = None
    live_lead_count: int | None = None  # leads in the live campaign (None: not read)
    allow_stop: bool = False  # the file's opt-in for an irreversible stop
    notes: tuple[str, ...] = ()
    # A create that looks like these live campaigns ("'name' (id N)"): blocked (renames.py).
    resembles: tuple[str, ...] = ()
    safety: CampaignSafety | None = None  # the file's own safety limits

    @property
    def action(self) -> Action:
        kinds = {c.kind for c in self.changes}
        if ChangeKind.CREATE_CAMPAIGN in kinds:
            return Action.CREATE
        if ChangeKind.DELETE_CAMPAIGN in kinds:
            return Action.DELETE
        return Action.UPDATE if kinds else Action.NONE

    def lead_count(self, kind: ChangeKind) -> int:
        return sum(c.leads.count for c in self.changes if c.kind is kind and c.leads is not None)


@dataclass(frozen=True)
class CallEstimate:
    """API calls apply will make per rate-limit bucket (GLOBAL counts every call), and the
    least time they can take at the configured limits."""

    calls: Mapping[Bucket, int]
    floor_seconds: float
    rate_limit_profile: str

    @property
    def total(self) -> int:
        return self.calls.get(Bucket.GLOBAL, 0)


@dataclass(frozen=True)
class PlanCounts:
    create: int = 0
    update: int = 0
    delete: int = 0
    unchanged: int = 0
    leads_add: int = 0
    leads_update: int = 0
    leads_remove: int = 0


@dataclass(frozen=True)
class Plan:
    campaigns: tuple[CampaignPlan, ...]
    estimate: CallEstimate
    live_fingerprint: str
    desired_fingerprint: str
    fingerprint: str
    unverifiable: tuple[str, ...] = ()  # managed settings Smartlead never returns
    warnings: tuple[str, ...] = ()
    # Leads Smartlead refused before for a lasting reason: shown, never counted as changes.
    refused: tuple[str, ...] = ()
    live_campaign_count: int = 0  # campaigns in the account (for safety thresholds)
    safety: SafetyThresholds = field(default_factory=SafetyThresholds)  # the project's limits
    format_version: int = FORMAT_VERSION

    @property
    def has_changes(self) -> bool:
        return any(c.changes for c in self.campaigns)

    @property
    def counts(self) -> PlanCounts:
        actions = [c.action for c in self.campaigns]
        return PlanCounts(
            create=actions.count(Action.CREATE),
            update=actions.count(Action.UPDATE),
            delete=actions.count(Action.DELETE),
            unchanged=actions.count(Action.NONE),
            leads_add=sum(c.lead_count(ChangeKind.ADD_LEADS) for c in self.campaigns),
            leads_update=sum(c.lead_count(ChangeKind.UPDATE_LEADS) for c in self.campaigns),
            leads_remove=sum(c.lead_count(ChangeKind.REMOVE_LEADS) for c in self.campaigns),
        )

    def to_json(self) -> str:
        from smartlead_sync.plan_io import plan_to_json

        return plan_to_json(self)

    @classmethod
    def from_json(cls, text: str) -> Plan:
        from smartlead_sync.plan_io import plan_from_json

        return plan_from_json(text)
