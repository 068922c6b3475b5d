"""The shape of a plan, whatever its changes: per declared campaign a `CampaignPlanOf` holding
an ordered tuple of changes (changes.py), already in apply order, and the `PlanOf` around them.

Two plans have this shape: the runnable `Plan` (plan_types.py), whose changes carry their payloads,
and the `SavedPlan` read back from a plan file (plan_file.py), whose changes only show. What
renders, judges safety or compares plans takes either (`ShownPlan`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

from smartlead_sync.plan.change_kinds import ChangeKind, ShownChange
from smartlead_sync.plan.changes import SavedChange
from smartlead_sync.plan.thresholds import CampaignSafety, SafetyThresholds
from smartlead_sync.state import Status
from smartlead_sync.tool_settings import Bucket

FORMAT_VERSION = 1

C_co = TypeVar("C_co", bound=ShownChange, covariant=True)


class Action(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    NONE = "none"


@dataclass(frozen=True)
class CampaignPlanOf(Generic[C_co]):
    name: str
    client_id: int | None
    live_id: int | None  # None: the campaign is created
    source: str
    changes: tuple[C_co, ...]
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
    least time they can take at the configured limits (with per-category windows, apply's
    schedule replayed: plan/schedule.py)."""

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
class PlanOf(Generic[C_co]):
    campaigns: tuple[CampaignPlanOf[C_co], ...]
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


ShownCampaignPlan = CampaignPlanOf[ShownChange]  # runnable or read back: to show and judge
ShownPlan = PlanOf[ShownChange]
SavedCampaignPlan = CampaignPlanOf[SavedChange]  # read back from a plan file
SavedPlan = PlanOf[SavedChange]
