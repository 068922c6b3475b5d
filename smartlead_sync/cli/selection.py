"""`--campaign ID` for a campaign whose file does not pin that id.

Names, previous names and pinned ids select files offline (the loader). A number that no file
pins can only be the live id of a campaign a file matches by name: those files are loaded
whole, and the selection is narrowed once the account's campaign list is read, with the same
identity rules as the plan (plan/identity.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.errors import ConfigError
from smartlead_sync.masking import printable
from smartlead_sync.plan.identity import resolve_identities
from smartlead_sync.state import CampaignSummary, DesiredCampaign


@dataclass(frozen=True)
class LiveIdFilter:
    """The `--campaign` values to apply once live ids are known."""

    ids: frozenset[int]  # numbers no file pins
    keys: frozenset[str]  # every other value: names, previous names, pinned ids

    def __bool__(self) -> bool:
        return bool(self.ids)

    @classmethod
    def none(cls) -> LiveIdFilter:
        return cls(frozenset(), frozenset())


def live_id_filter(campaigns: Sequence[str], project: DesiredProject) -> LiveIdFilter:
    """Split the filter: the numbers that no campaign of `project` pins."""
    pinned = {str(d.state.id) for d in project.campaigns if d.state.id is not None}
    ids = frozenset(int(v) for v in campaigns if v.strip().isdigit() and v.strip() not in pinned)
    keys = frozenset(v for v in campaigns if not (v.strip().isdigit() and int(v) in ids))
    return LiveIdFilter(ids, keys)


def _keys(campaign: DesiredCampaign) -> set[str]:
    keys = {campaign.state.name, *campaign.previous_names}
    if campaign.state.id is not None:
        keys.add(str(campaign.state.id))
    return keys


def narrow_to_live_ids(
    project: DesiredProject, wanted: LiveIdFilter, live: Sequence[CampaignSummary]
) -> DesiredProject:
    """The campaigns `wanted` names, live ids resolved through the account's campaign list."""
    by_id = {c.id: c for c in live}
    unknown = sorted(i for i in wanted.ids if i not in by_id)
    if unknown:
        raise ConfigError(
            f"--campaign {', '.join(map(str, unknown))}: no campaign of this Smartlead account "
            "has that id",
            hint="give a campaign's name, a previous name or its id",
        )
    matched = {
        m.live.id: m.desired.source
        for m in resolve_identities(project.campaigns, live).matches
        if m.live is not None and m.live.id in wanted.ids
    }
    unmatched = [by_id[i] for i in sorted(wanted.ids) if i not in matched]
    if unmatched:
        named = ", ".join(f"{c.id} ('{printable(c.name)}')" for c in unmatched)
        raise ConfigError(
            f"--campaign {named}: no campaign file declares this live campaign",
            hint="import it with `smartlead-sync import --campaign ID`, or name a file's campaign",
        )
    known = {key for d in project.campaigns for key in _keys(d)}
    typos = sorted(wanted.keys - known)
    if typos:
        raise ConfigError(
            f"no campaign named {', '.join(map(repr, typos))} in {project.root}",
            hint="give a campaign's name, a previous name or its id",
        )
    chosen = set(matched.values())
    selected = tuple(d for d in project.campaigns if d.source in chosen or _keys(d) & wanted.keys)
    return replace(project, campaigns=selected)
