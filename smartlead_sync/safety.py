"""Safety rules over a plan: what apply refuses (exit 3) until the user opts in explicitly.

Each violation names its rule, the counts, and the opt-in it needs (the YAML statement and/or
`--allow-destroy`). `plan` shows every rule a plan trips, marked `!`, so a reviewer sees what
apply would block.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from smartlead_sync.plan import Action, CampaignPlan, ChangeKind, Plan
from smartlead_sync.state import Status

FLAG = "--allow-destroy"


class SafetyRule(str, Enum):
    STOP_CAMPAIGN = "stop_campaign"  # irreversible in Smartlead (§3.6)
    DELETE_CAMPAIGN = "delete_campaign"
    REMOVE_LEADS = "remove_leads"
    LOOKS_LIKE_LIVE = "looks_like_live"  # a create that may duplicate a renamed campaign
    CAMPAIGN_SHARE = "campaign_share"
    LEAD_SHARE = "lead_share"


@dataclass(frozen=True)
class SafetyThresholds:
    """Shares of existing objects one apply may change without `--allow-destroy`. They apply
    only from a minimum size, so small accounts are not blocked by a single edit."""

    campaign_share: float = 0.3
    min_campaigns: int = 10
    lead_share: float = 0.3
    min_leads: int = 100


@dataclass(frozen=True)
class Violation:
    rule: SafetyRule
    message: str  # what the plan does, with counts
    opt_in: str  # what the user must do to allow it
    campaign: str | None = None

    def render(self) -> str:
        return f"{self.message}; to allow it: {self.opt_in}"


def _stops(campaign: CampaignPlan) -> bool:
    return any(
        c.kind is ChangeKind.SET_STATUS and c.fields and c.fields[0].after == Status.STOPPED.value
        for c in campaign.changes
    )


def _campaign_rules(campaign: CampaignPlan, allow_destroy: bool) -> list[Violation]:
    found: list[Violation] = []
    name = campaign.name
    if _stops(campaign) and not (allow_destroy and campaign.allow_stop):
        needed = [] if campaign.allow_stop else [f"`allow_stop: true` in {campaign.source}"]
        needed += [] if allow_destroy else [FLAG]
        message = f"stopping '{name}' is permanent in Smartlead (it can never be started again)"
        found.append(Violation(SafetyRule.STOP_CAMPAIGN, message, " and ".join(needed), name))
    if campaign.action is Action.DELETE and not allow_destroy:
        leads = campaign.live_lead_count
        extra = f" with its {leads} lead(s)" if leads else ""
        message = f"deleting '{name}'{extra} removes its sequence, stats and webhooks for good"
        found.append(Violation(SafetyRule.DELETE_CAMPAIGN, message, FLAG, name))
    if campaign.resembles and campaign.action is Action.CREATE:
        message = (
            f"creating '{name}' ({campaign.source}) may duplicate a live campaign no file "
            f"declares, with the same sequence: {', '.join(campaign.resembles)}"
        )
        fix = (
            f"pin `id:` (or add its name to `previous_names:`) in {campaign.source} if it is "
            "one of them, or change the file's sequence if it is a new campaign"
        )
        found.append(Violation(SafetyRule.LOOKS_LIKE_LIVE, message, fix, name))
    removed = campaign.lead_count(ChangeKind.REMOVE_LEADS)
    if removed and not allow_destroy:
        message = f"removing {removed} lead(s) from '{name}' (prune) drops their history there"
        found.append(Violation(SafetyRule.REMOVE_LEADS, message, FLAG, name))
    return found


def _share_rules(plan: Plan, limits: SafetyThresholds) -> list[Violation]:
    found: list[Violation] = []
    existing = plan.live_campaign_count
    # A drafted campaign sends nothing, so changing it is no risk; counting it would also
    # block the re-run of an apply that was killed after creating its campaigns.
    touched = sum(
        1
        for c in plan.campaigns
        if c.live_id is not None
        and c.live_status is not Status.DRAFTED
        and any(ch.kind is not ChangeKind.ADD_LEADS for ch in c.changes)
    )
    if existing >= limits.min_campaigns and touched > limits.campaign_share * existing:
        message = (
            f"{touched} of {existing} existing campaigns change at once "
            f"(more than {limits.campaign_share:.0%})"
        )
        found.append(Violation(SafetyRule.CAMPAIGN_SHARE, message, FLAG))
    live_leads = sum(c.live_lead_count or 0 for c in plan.campaigns)
    changed = sum(
        c.lead_count(ChangeKind.UPDATE_LEADS) + c.lead_count(ChangeKind.REMOVE_LEADS)
        for c in plan.campaigns
    )
    if live_leads >= limits.min_leads and changed > limits.lead_share * live_leads:
        message = (
            f"{changed} of {live_leads} existing leads are updated or removed at once "
            f"(more than {limits.lead_share:.0%})"
        )
        found.append(Violation(SafetyRule.LEAD_SHARE, message, FLAG))
    return found


def safety_violations(
    plan: Plan, *, allow_destroy: bool = False, thresholds: SafetyThresholds | None = None
) -> tuple[Violation, ...]:
    """The rules `plan` trips that are not opted into. Empty: apply may proceed."""
    found = [v for c in plan.campaigns for v in _campaign_rules(c, allow_destroy)]
    if not allow_destroy:
        found += _share_rules(plan, thresholds or SafetyThresholds())
    return tuple(found)
