"""The `safety:` limits as written: project-wide in `settings.safety` of the project file, and
a campaign's own in its file's `safety:` (see plan/thresholds.py for what each limit means)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt

from smartlead_sync.desired.filemodel import FileModel
from smartlead_sync.plan.thresholds import CampaignSafety, CountLimit, SafetyThresholds, ShareLimit

Share = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[StrictInt, Field(ge=0)]
_DEFAULTS = SafetyThresholds()


class CampaignUpdatesModel(FileModel):
    max_share: Share = _DEFAULTS.campaign_updates.max_share
    min_existing: Count = _DEFAULTS.campaign_updates.min_existing

    def limit(self) -> ShareLimit:
        return ShareLimit(self.max_share, self.min_existing)


class LeadUpdatesModel(FileModel):
    max_share: Share = _DEFAULTS.lead_updates.max_share
    min_existing: Count = _DEFAULTS.lead_updates.min_existing

    def limit(self) -> ShareLimit:
        return ShareLimit(self.max_share, self.min_existing)


class LeadRemovalsModel(FileModel):
    max_count: Count = _DEFAULTS.lead_removals.max_count

    def limit(self) -> CountLimit:
        return CountLimit(self.max_count)


class SafetyModel(FileModel):
    """`settings.safety` of the project file."""

    campaign_updates: CampaignUpdatesModel = Field(default_factory=CampaignUpdatesModel)
    lead_updates: LeadUpdatesModel = Field(default_factory=LeadUpdatesModel)
    lead_removals: LeadRemovalsModel = Field(default_factory=LeadRemovalsModel)

    def thresholds(self) -> SafetyThresholds:
        return SafetyThresholds(
            campaign_updates=self.campaign_updates.limit(),
            lead_updates=self.lead_updates.limit(),
            lead_removals=self.lead_removals.limit(),
        )


class CampaignSafetyModel(FileModel):
    """A campaign file's `safety:`: its own limits instead of the project's."""

    lead_updates: LeadUpdatesModel | None = None
    lead_removals: LeadRemovalsModel | None = None

    def thresholds(self) -> CampaignSafety:
        return CampaignSafety(
            lead_updates=self.lead_updates.limit() if self.lead_updates else None,
            lead_removals=self.lead_removals.limit() if self.lead_removals else None,
        )
