"""How much one apply may change without `--allow-destroy`: the limits the safety rules use.

Set in the project file (`settings.safety`) for the whole project; a campaign file's `safety:`
overrides the per-campaign limits for that campaign. The limits travel in the plan, so a plan
is rendered and applied under the limits it was made with.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ShareLimit:
    """At most `max_share` (0..1) of the existing objects may change, counted only once there
    are at least `min_existing` of them, so a small account is not blocked by one edit."""

    max_share: float
    min_existing: int

    def crossed(self, changed: int, existing: int) -> bool:
        return existing >= self.min_existing and changed > self.max_share * existing


@dataclass(frozen=True, slots=True)
class CountLimit:
    """At most `max_count` objects may change."""

    max_count: int

    def crossed(self, changed: int) -> bool:
        return changed > self.max_count


@dataclass(frozen=True, slots=True)
class SafetyThresholds:
    """The project's limits. `campaign_updates` counts existing campaigns that change;
    `lead_updates` existing leads updated or removed; `lead_removals` leads one campaign's
    `prune` removes (0: every removal needs `--allow-destroy`)."""

    campaign_updates: ShareLimit = field(default_factory=lambda: ShareLimit(0.3, 10))
    lead_updates: ShareLimit = field(default_factory=lambda: ShareLimit(0.3, 100))
    lead_removals: CountLimit = field(default_factory=lambda: CountLimit(0))


@dataclass(frozen=True, slots=True)
class CampaignSafety:
    """One campaign's own limits; None keeps the project's. A campaign with its own
    `lead_updates` is judged alone and leaves the project-wide lead count."""

    lead_updates: ShareLimit | None = None
    lead_removals: CountLimit | None = None


def thresholds_json(limits: SafetyThresholds | CampaignSafety | None) -> dict[str, Any] | None:
    """The limits as the plan file holds them (a campaign's unset limits are left out)."""
    if limits is None:
        return None
    return {k: v for k, v in asdict(limits).items() if v is not None}


def _share(raw: Any) -> ShareLimit:
    return ShareLimit(float(raw["max_share"]), int(raw["min_existing"]))


def thresholds_from_json(raw: Any) -> SafetyThresholds:
    """The project's limits from a plan file; a plan file without them has the defaults."""
    if raw is None:
        return SafetyThresholds()
    default = SafetyThresholds()
    return SafetyThresholds(
        campaign_updates=_share(raw["campaign_updates"]) if "campaign_updates" in raw
        else default.campaign_updates,
        lead_updates=_share(raw["lead_updates"]) if "lead_updates" in raw
        else default.lead_updates,
        lead_removals=CountLimit(int(raw["lead_removals"]["max_count"])) if "lead_removals" in raw
        else default.lead_removals,
    )  # fmt: skip


def campaign_safety_from_json(raw: Any) -> CampaignSafety | None:
    if raw is None:
        return None
    removals = raw.get("lead_removals")
    return CampaignSafety(
        lead_updates=_share(raw["lead_updates"]) if raw.get("lead_updates") else None,
        lead_removals=CountLimit(int(removals["max_count"])) if removals else None,
    )
