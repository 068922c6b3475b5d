"""Safety rules over a plan: what apply refuses (exit 3) until the user opts in explicitly.

Each violation names its rule, the limit crossed with the counts (as octoDNS's update and
delete thresholds do), and the opt-in it needs (the YAML statement and/or `--allow-destroy`).
The limits come with the plan (`thresholds.py`). `plan` shows every rule a plan trips, marked
`!`, so a reviewer sees what apply would block.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from smartlead_sync.plan.change_kinds import ChangeKind, stops_campaign
from smartlead_sync.plan.plan_model import Action, ShownCampaignPlan, ShownPlan
from smartlead_sync.plan.thresholds import SafetyThresholds
from smartlead_sync.state import Status

FLAG = "--allow-destroy"
PROJECT_FILE = "smartlead-sync.yaml"


class SafetyRule(str, Enum):
    STOP_CAMPAIGN = "stop_campaign"  # irreversible in Smartlead (§3.6)
    DELETE_CAMPAIGN = "delete_campaign"
    REMOVE_LEADS = "remove_leads"
    LOOKS_LIKE_LIVE = "looks_like_live"  # a create that may duplicate a renamed campaign
    CAMPAIGN_SHARE = "campaign_share"
    LEAD_SHARE = "lead_share"


@dataclass(frozen=True)
class Violation:
    rule: SafetyRule
    message: str  # what the plan does, with counts
    opt_in: str  # what the user must do to allow it
    campaign: str | None = None

    def render(self) -> str:
        return f"{self.message}; to allow it: {self.opt_in}"


def _campaign_rules(campaign: ShownCampaignPlan, allow_destroy: bool) -> list[Violation]:
    found: list[Violation] = []
    name = campaign.name
    stops = any(stops_campaign(c) for c in campaign.changes)
    if stops and not (allow_destroy and campaign.allow_stop):
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
    return found


def _share(changed: int, existing: int) -> str:
    return f"{changed / existing:.0%}" if existing else "all"


def _removal_rule(campaign: ShownCampaignPlan, limits: SafetyThresholds) -> Violation | None:
    removed = campaign.lead_count(ChangeKind.REMOVE_LEADS)
    own = campaign.safety.lead_removals if campaign.safety else None
    limit = own or limits.lead_removals
    if not limit.crossed(removed):
        return None
    message = f"removing {removed} lead(s) from '{campaign.name}' (prune) drops their history there"
    if limit.max_count:  # the default 0 needs no words: every removal asks
        where = campaign.source if own else f"settings of {PROJECT_FILE}"
        message += f", over the limit of {limit.max_count} per apply (safety in {where})"
    needed = f"`safety: {{lead_removals: {{max_count: {removed}}}}}`"
    opt_in = f"{FLAG}, or {needed} in {campaign.source}"
    return Violation(SafetyRule.REMOVE_LEADS, message, opt_in, campaign.name)


def _touched_campaigns(plan: ShownPlan) -> int:
    # A drafted campaign sends nothing, so changing it is no risk; counting it would also
    # block the re-run of an apply that was killed after creating its campaigns.
    return sum(
        1
        for c in plan.campaigns
        if c.live_id is not None
        and c.live_status is not Status.DRAFTED
        and any(ch.kind is not ChangeKind.ADD_LEADS for ch in c.changes)
    )


def _campaign_share_rule(plan: ShownPlan, limits: SafetyThresholds) -> Violation | None:
    existing, touched = plan.live_campaign_count, _touched_campaigns(plan)
    limit = limits.campaign_updates
    if not limit.crossed(touched, existing):
        return None
    message = (
        f"{touched} of {existing} existing campaigns change at once ({_share(touched, existing)}), "
        f"over the limit of {limit.max_share:.0%} "
        f"(settings.safety.campaign_updates.max_share in {PROJECT_FILE})"
    )
    opt_in = f"{FLAG}, or raise settings.safety.campaign_updates.max_share in {PROJECT_FILE}"
    return Violation(SafetyRule.CAMPAIGN_SHARE, message, opt_in)


def _changed_leads(campaign: ShownCampaignPlan) -> int:
    return campaign.lead_count(ChangeKind.UPDATE_LEADS) + campaign.lead_count(
        ChangeKind.REMOVE_LEADS
    )


def _lead_share_rules(plan: ShownPlan, limits: SafetyThresholds) -> list[Violation]:
    """Campaigns with their own `lead_updates` limit are judged alone; the rest together."""
    found: list[Violation] = []
    pooled_live = pooled_changed = 0
    for campaign in plan.campaigns:
        own = campaign.safety.lead_updates if campaign.safety else None
        live, changed = campaign.live_lead_count or 0, _changed_leads(campaign)
        if own is None:
            pooled_live, pooled_changed = pooled_live + live, pooled_changed + changed
        elif own.crossed(changed, live):
            message = (
                f"{changed} of {live} existing leads of '{campaign.name}' are updated or removed "
                f"at once ({_share(changed, live)}), over its limit of {own.max_share:.0%} "
                f"(safety.lead_updates.max_share in {campaign.source})"
            )
            opt_in = f"{FLAG}, or raise safety.lead_updates.max_share in {campaign.source}"
            found.append(Violation(SafetyRule.LEAD_SHARE, message, opt_in, campaign.name))
    if limits.lead_updates.crossed(pooled_changed, pooled_live):
        message = (
            f"{pooled_changed} of {pooled_live} existing leads are updated or removed at once "
            f"({_share(pooled_changed, pooled_live)}), over the limit of "
            f"{limits.lead_updates.max_share:.0%} "
            f"(settings.safety.lead_updates.max_share in {PROJECT_FILE})"
        )
        opt_in = f"{FLAG}, or raise settings.safety.lead_updates.max_share in {PROJECT_FILE}"
        found.append(Violation(SafetyRule.LEAD_SHARE, message, opt_in))
    return found


def safety_violations(plan: ShownPlan, *, allow_destroy: bool = False) -> tuple[Violation, ...]:
    """The rules `plan` trips under its own limits that are not opted into. Empty: apply may
    proceed. `--allow-destroy` lifts every limit; a stop still needs `allow_stop: true`."""
    limits = plan.safety
    found: list[Violation] = []
    for campaign in plan.campaigns:
        found += _campaign_rules(campaign, allow_destroy)
        removal = None if allow_destroy else _removal_rule(campaign, limits)
        found += [removal] if removal else []
    if allow_destroy:
        return tuple(found)
    if (share := _campaign_share_rule(plan, limits)) is not None:
        found.append(share)
    return tuple(found + _lead_share_rules(plan, limits))
