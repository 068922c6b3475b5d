"""Fingerprints that tie an applied plan to the reviewed one.

`apply --plan plan.json` re-loads the files, re-reads Smartlead and rebuilds the plan; when
the live fingerprint differs, live state moved since the review and the saved plan is stale.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace

from smartlead_sync.canonical import digest
from smartlead_sync.normalize import normalize_campaign
from smartlead_sync.plan import FORMAT_VERSION, CampaignPlan, ChangeKind, Plan
from smartlead_sync.plan_io import reviewed_change
from smartlead_sync.state import (
    CampaignPart,
    CampaignState,
    CampaignSummary,
    DesiredCampaign,
    Mailbox,
)

_PART_OF: dict[ChangeKind, CampaignPart] = {
    ChangeKind.SAVE_SEQUENCE: CampaignPart.SEQUENCE,
    ChangeKind.ATTACH_MAILBOXES: CampaignPart.MAILBOXES,
    ChangeKind.DETACH_MAILBOXES: CampaignPart.MAILBOXES,
    ChangeKind.CREATE_WEBHOOK: CampaignPart.WEBHOOKS,
    ChangeKind.UPDATE_WEBHOOK: CampaignPart.WEBHOOKS,
    ChangeKind.DELETE_WEBHOOK: CampaignPart.WEBHOOKS,
    ChangeKind.ADD_LEADS: CampaignPart.LEADS,
    ChangeKind.UPDATE_LEADS: CampaignPart.LEADS,
    ChangeKind.REMOVE_LEADS: CampaignPart.LEADS,
}
ROW = "campaign"  # the part read from the campaign list: name, status, settings, schedule


def part_digests(campaign: CampaignState) -> dict[str, str]:
    """Digests of what was read of one campaign, by part; parts not read (None) are left out."""
    normal = normalize_campaign(campaign)
    row = replace(normal, sequence=None, mailboxes=None, webhooks=None, leads=None)
    digests = {ROW: digest(row)}
    for part in CampaignPart:
        value = getattr(normal, part.value)
        if value is not None:
            digests[part.value] = digest(value)
    return digests


def live_fingerprint(
    summaries: Iterable[CampaignSummary],
    campaigns: Mapping[int, Mapping[str, str]],
    mailboxes: Iterable[Mailbox],
) -> str:
    """Of the live state a plan was computed against: the list rows that identity resolution
    looked at, the campaigns read in depth (their part digests, by id) and the mailboxes the
    files name."""
    return digest(
        {
            "summaries": sorted(summaries, key=lambda s: s.id),
            "campaigns": sorted((i, dict(sorted(d.items()))) for i, d in campaigns.items()),
            "mailboxes": sorted(mailboxes, key=lambda m: m.id),
        }
    )


def desired_digest(campaign: DesiredCampaign) -> str:
    """Of one desired campaign as loaded (lead data included) and its opt-ins."""
    return digest(campaign)


def desired_fingerprint(campaign_digests: Sequence[str]) -> str:
    """Of the desired campaigns, from their `desired_digest`s in plan order."""
    return digest(list(campaign_digests))


def plan_fingerprint(live: str, desired: str, campaigns: Iterable[CampaignPlan]) -> str:
    """Of both fingerprints and every change with its full payload."""
    return digest(
        {
            "format_version": FORMAT_VERSION,
            "live": live,
            "desired": desired,
            "campaigns": [(c.name, c.client_id, c.live_id, c.changes) for c in campaigns],
        }
    )


def staleness(saved: Plan, rebuilt: Plan) -> list[str]:
    """Why a saved plan is not the one a rebuild gives now (empty: it is the same plan)."""
    reasons: list[str] = []
    if saved.format_version != rebuilt.format_version:
        reasons.append(
            f"the plan file has format {saved.format_version}, this tool writes "
            f"{rebuilt.format_version}"
        )
    if saved.live_fingerprint != rebuilt.live_fingerprint:
        reasons.append("Smartlead changed since the plan was made")
    if saved.desired_fingerprint != rebuilt.desired_fingerprint:
        reasons.append("the campaign files or lead files changed since the plan was made")
    if not reasons and saved.fingerprint != rebuilt.fingerprint:
        reasons.append("the changes differ from the saved plan (different tool settings?)")
    return reasons


def touched_parts(campaign: CampaignPlan) -> frozenset[CampaignPart]:
    """The parts of a campaign a plan's changes write to (the row is always read)."""
    parts: set[CampaignPart] = set()
    for change in campaign.changes:
        part = _PART_OF.get(change.kind)
        if part is not None:
            parts.add(part)
    return frozenset(parts)


def campaign_staleness(saved: Plan, rebuilt: Plan, names: Collection[str]) -> list[str]:
    """Why the campaigns `names` of the saved plan, rebuilt reading only where the saved
    changes touch them, no longer match it; empty when they do."""
    if saved.format_version != rebuilt.format_version:
        return [
            f"the plan file has format {saved.format_version}, this tool writes "
            f"{rebuilt.format_version}"
        ]
    by_name = {c.name: c for c in rebuilt.campaigns}
    reasons: list[str] = []
    for old in (c for c in saved.campaigns if c.name in names):
        new = by_name.get(old.name)
        if new is None:
            reasons.append(f"'{old.name}' is no longer in the files")
            continue
        reasons.extend(_campaign_reasons(old, new))
    return reasons


def _campaign_reasons(old: CampaignPlan, new: CampaignPlan) -> list[str]:
    if old.desired_digest != new.desired_digest:
        return [f"the file of '{old.name}' or its lead files changed since the plan was made"]
    moved = sorted(p for p, d in new.live_digests.items() if old.live_digests.get(p) != d)
    if old.live_id != new.live_id or moved:
        what = ", ".join(moved) if moved else "which campaign it is"
        return [f"Smartlead changed '{old.name}' ({what}) since the plan was made"]
    if [reviewed_change(c) for c in old.changes] != [reviewed_change(c) for c in new.changes]:
        return [f"the changes of '{old.name}' differ from the saved plan (tool settings?)"]
    return []
