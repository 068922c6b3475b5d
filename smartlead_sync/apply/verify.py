"""After apply: confirm the result with the fewest reads the write answers leave necessary.

Write answers already confirm campaign creates (the id, read back by name before anything else
is written), lead imports (every lead attached with an id or refused with a reason, §5.2),
mailbox attachments (the answer names each account, §6) and webhook writes (the answer echoes
id, name, URL and events, §7.1). What they cannot confirm is read once: one campaign list for
every campaign's row (name, status, settings, schedule: the list carries the same fields as
`GET /campaigns/{id}`, §3.1/§3.3), and per campaign only the parts whose answer said nothing
(a sequence save answers "success"), read as soon as that campaign is done so that the reads
share the rate limit with the other campaigns' writes instead of queueing after all of them.
A part that was neither changed nor read is taken as the files have it: the plan found no
difference there, and nothing was written to it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from smartlead_sync.apply.plan_steps import describe
from smartlead_sync.apply.writer import ReadBack
from smartlead_sync.plan.changes import AddLeadsChange
from smartlead_sync.plan.diff import DiffContext, diff_campaign
from smartlead_sync.plan.payloads import LeadBatch, MailboxChange
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.planning import as_files_have_it
from smartlead_sync.smartlead.api_errors import NotFound
from smartlead_sync.state import CampaignPart, CampaignState, DesiredCampaign, Mailbox


@dataclass(frozen=True)
class Applied:
    """One campaign apply carried out in full, and what its answers left unconfirmed."""

    desired: DesiredCampaign
    campaign_id: int
    to_read: frozenset[CampaignPart]
    refused: frozenset[str]  # lead keys Smartlead refused for a stated reason
    early: CampaignState | None = None  # `to_read`, read when the campaign was done


def read_unconfirmed(
    provider: ReadBack, campaign_id: int, parts: Collection[CampaignPart]
) -> CampaignState | None:
    """The parts no answer confirmed, read right after the campaign's last step (None when
    there are none)."""
    return provider.read_only(campaign_id, parts) if parts else None


def verify_applied(
    provider: ReadBack, applied: Sequence[Applied], plan: Plan, batch_size: int
) -> list[str]:
    """The differences that remain in `applied` campaigns; empty when all of them converged."""
    if not applied:
        return []
    listed = {s.id for s in provider.list_campaigns()}
    context = DiffContext(_planned_mailboxes(plan), batch_size)
    residual: list[str] = []
    for item in applied:
        live = _read_back(provider, item, listed)
        residual.extend(_differences(item, live, context))
    return residual


def _read_back(provider: ReadBack, item: Applied, listed: Collection[int]) -> CampaignState | None:
    if item.campaign_id not in listed:
        return None
    raw = provider.campaign_row(item.campaign_id)  # from the list just made: no call
    try:
        parts = item.early or provider.read_only(item.campaign_id, item.to_read)
    except NotFound:
        return None
    read = provider.with_row(raw, parts)
    return as_files_have_it(read, item.desired.state, item.to_read)


def _differences(item: Applied, live: CampaignState | None, context: DiffContext) -> list[str]:
    name = item.desired.state.name
    diff = diff_campaign(item.desired, live, context)
    found = [f"{name}: {problem.message}" for problem in diff.problems]
    to_add = 0
    for change in diff.changes:
        match change:
            case AddLeadsChange(LeadBatch(leads=leads)):
                to_add += sum(1 for lead in leads if lead.key not in item.refused)
            case _:
                found.append(f"{name}: {describe(change)}")
    if to_add:
        found.append(f"{name}: {to_add} lead(s) still to add")
    return found


def _planned_mailboxes(plan: Plan) -> Mapping[str, Mailbox]:
    """The mailboxes the plan attached or detached, by email: enough for the diff to name
    a mailbox that did not stick."""
    return {
        m.email.lower(): m
        for c in plan.campaigns
        for change in c.changes
        if isinstance(change.payload, MailboxChange)
        for m in change.payload.mailboxes
    }
