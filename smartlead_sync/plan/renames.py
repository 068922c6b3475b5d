"""A campaign renamed in the Smartlead UI is recognised by its content, never created twice.

Identity is `(client_id, name)` (identity.py), so a rename in the UI makes a declared campaign
look absent. Before planning a create, the plan compares the file with the live campaigns of
the same client that no file declares, newest first: sequence (subjects and bodies), schedule
and settings. Exactly one such campaign that matches in all three, none that matches in its
sequence only, and whose leads are the file's leads (the evidence that this project filled it,
and not another project or a person who copied the sequence), is the declared campaign under
another name: the plan renames it back instead of creating a copy. Any other lookalike blocks
the create (a safety rule, exit 3) until the file says which campaign it is (`id:` or
`previous_names:`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

from smartlead_sync.plan.change_kinds import ChangeKind
from smartlead_sync.plan.diff import DiffContext, diff_campaign
from smartlead_sync.plan.identity import Match, MatchedBy, Resolution
from smartlead_sync.state import CampaignState, CampaignSummary, DesiredCampaign, Lead

MAX_CANDIDATES = 10  # unmanaged campaigns read per plan that creates (2 calls each)
_CONTENT = {ChangeKind.UPDATE_SETTINGS, ChangeKind.UPDATE_SCHEDULE}


@runtime_checkable
class ContentReader(Protocol):
    def read_content(self, campaign_id: int) -> CampaignState:
        """Settings, schedule and sequence of one campaign (no mailboxes, webhooks, leads)."""
        ...

    def read_leads(self, campaign_id: int) -> dict[str, Lead]: ...


def _filled_from(reader: ContentReader, desired: DesiredCampaign, live: CampaignSummary) -> bool:
    """The live campaign holds leads, and all of them are leads of the file."""
    wanted = desired.state.leads
    if not wanted:
        return False
    held = reader.read_leads(live.id)
    return bool(held) and held.keys() <= wanted.keys()


@dataclass(frozen=True)
class Lookalikes:
    resolution: Resolution  # a renamed campaign's create replaced by a match
    resembles: Mapping[str, tuple[CampaignSummary, ...]]  # source -> campaigns it looks like


def _same_content(desired: DesiredCampaign, live: CampaignState) -> tuple[bool, bool]:
    """(same sequence, same schedule and settings) as far as the file declares them."""
    content = replace(desired.state, mailboxes=None, webhooks=None, leads=None)
    context = DiffContext({}, 100)
    kinds = {c.kind for c in diff_campaign(replace(desired, state=content), live, context).changes}
    same_sequence = bool(desired.state.sequence) and ChangeKind.SAVE_SEQUENCE not in kinds
    return same_sequence, not (kinds & _CONTENT)


def find_renamed(
    reader: ContentReader, resolution: Resolution, live: Sequence[CampaignSummary]
) -> Lookalikes:
    """Look for each planned create among the campaigns no file declares."""
    creates = [m for m in resolution.matches if m.live is None and not m.desired.delete]
    if not creates:
        return Lookalikes(resolution, {})
    claimed = {c.id for c in resolution.considered}
    unmanaged = sorted((c for c in live if c.id not in claimed), key=lambda c: -c.id)
    read: dict[int, CampaignState] = {}
    matches = list(resolution.matches)
    resembles: dict[str, tuple[CampaignSummary, ...]] = {}
    adopted: list[CampaignSummary] = []
    for match in creates:
        client = match.desired.state.client_id
        candidates = [c for c in unmanaged if c.client_id == client][:MAX_CANDIDATES]
        strong: list[CampaignSummary] = []
        weak: list[CampaignSummary] = []
        for candidate in candidates:
            if candidate.id not in read:
                read[candidate.id] = reader.read_content(candidate.id)
            same_sequence, same_rest = _same_content(match.desired, read[candidate.id])
            if same_sequence:
                (strong if same_rest else weak).append(candidate)
        if len(strong) == 1 and not weak and _filled_from(reader, match.desired, strong[0]):
            claimed.add(strong[0].id)
            adopted.append(strong[0])
            matches[matches.index(match)] = Match(match.desired, strong[0], MatchedBy.CONTENT)
        elif strong or weak:
            resembles[match.desired.source] = tuple(strong + weak)
    considered = tuple(sorted((*resolution.considered, *adopted), key=lambda c: c.id))
    found = replace(resolution, matches=tuple(matches), considered=considered)
    return Lookalikes(found, resembles)
