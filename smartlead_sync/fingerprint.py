"""Fingerprints that tie an applied plan to the reviewed one.

`apply --plan plan.json` re-loads the files, re-reads Smartlead and rebuilds the plan; when
the live fingerprint differs, live state moved since the review and the saved plan is stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from smartlead_sync.canonical import digest
from smartlead_sync.normalize import normalize_campaign
from smartlead_sync.plan import FORMAT_VERSION, CampaignPlan, Plan
from smartlead_sync.state import CampaignState, CampaignSummary, DesiredCampaign, Mailbox


def live_fingerprint(
    summaries: Iterable[CampaignSummary],
    campaigns: Iterable[CampaignState],
    mailboxes: Iterable[Mailbox],
) -> str:
    """Of the live state a plan was computed against: the list rows that identity resolution
    looked at, the campaigns read in depth (normalized, ids and leads included) and the
    mailboxes the files name."""
    return digest(
        {
            "summaries": sorted(summaries, key=lambda s: s.id),
            "campaigns": sorted(
                (normalize_campaign(c) for c in campaigns), key=lambda c: c.id or 0
            ),
            "mailboxes": sorted(mailboxes, key=lambda m: m.id),
        }
    )


def desired_fingerprint(campaigns: Sequence[DesiredCampaign]) -> str:
    """Of the desired campaigns as loaded (lead data included) and their opt-ins."""
    return digest(list(campaigns))


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
