"""Which live campaign each declared campaign is (design.md, identity).

A campaign is matched by `(client_id, name)`; an `id:` pin overrides the name; a name in
`previous_names:` matches a campaign to rename. Live campaigns no file declares are never
touched, so only the account's campaign list is needed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from smartlead_sync.errors import Problem
from smartlead_sync.masking import printable
from smartlead_sync.state import CampaignSummary, DesiredCampaign


class MatchedBy(str, Enum):
    ID_PIN = "id"
    NAME = "name"
    PREVIOUS_NAME = "previous_name"
    CONTENT = "content"  # renamed in the UI: same client, sequence, schedule, settings
    NOTHING = "nothing"  # to be created (or, when marked for deletion, already gone)


@dataclass(frozen=True)
class Match:
    desired: DesiredCampaign
    live: CampaignSummary | None
    matched_by: MatchedBy

    @property
    def note(self) -> str | None:
        if self.live is None or self.matched_by is MatchedBy.NAME:
            return None
        if self.matched_by is MatchedBy.ID_PIN:
            return f"matched by its id pin ({self.live.id})"
        if self.matched_by is MatchedBy.CONTENT:
            return (
                f"matched by its content: live campaign {self.live.id} was renamed "
                f"'{printable(self.live.name)}' in Smartlead and is renamed back (pin `id:` or "
                "add `previous_names:` to make it explicit)"
            )
        return f"matched by its previous name '{printable(self.live.name)}'"


@dataclass(frozen=True)
class Resolution:
    matches: tuple[Match, ...]
    problems: tuple[Problem, ...]
    considered: tuple[CampaignSummary, ...]  # every live row a file's identity could refer to
    warnings: tuple[str, ...] = ()


def _key(client_id: int | None, name: str) -> tuple[int | None, str]:
    return client_id, name.strip()


class _Resolver:
    def __init__(self, live: Sequence[CampaignSummary]) -> None:
        self.by_id = {c.id: c for c in live}
        self.by_key: dict[tuple[int | None, str], list[CampaignSummary]] = {}
        self.by_name: dict[str, list[CampaignSummary]] = {}
        for campaign in live:
            self.by_key.setdefault(_key(campaign.client_id, campaign.name), []).append(campaign)
            self.by_name.setdefault(campaign.name.strip(), []).append(campaign)
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.considered: dict[int, CampaignSummary] = {}
        # A client-scoped key sees only its client's campaigns and files every create under
        # that client, whatever the body says (smartlead-api.md §9, §13.13). Campaigns of one
        # client and none without a client is how such a key looks from outside.
        clients = {c.client_id for c in live}
        self.sole_client = next(iter(clients)) if len(clients) == 1 else None

    def fail(self, desired: DesiredCampaign, message: str, hint: str) -> None:
        text = f"campaign '{desired.state.name}': {message}"
        self.problems.append(Problem(text, file=desired.source, code="identity", hint=hint))

    def named(self, desired: DesiredCampaign, name: str) -> list[CampaignSummary]:
        found = self.by_key.get(_key(desired.state.client_id, name), [])
        self.considered.update((c.id, c) for c in found)
        return found

    def resolve(self, desired: DesiredCampaign) -> Match | None:
        pin = desired.state.id
        if pin is not None:
            return self._pinned(desired, pin)
        for names, matched_by in (
            ((desired.state.name,), MatchedBy.NAME),
            (desired.previous_names, MatchedBy.PREVIOUS_NAME),
        ):
            found = [c for name in names for c in self.named(desired, name)]
            if len(found) > 1:
                ids = ", ".join(str(c.id) for c in sorted(found, key=lambda c: c.id))
                self.fail(
                    desired,
                    f"{len(found)} live campaigns match by {matched_by.value.replace('_', ' ')} "
                    f"(ids {ids})",
                    "add `id: <one of these ids>` to the file to say which one it is",
                )
                return None
            if found:
                return Match(desired, found[0], matched_by)
        if self._scoped_twin(desired):
            return None
        self._warn_other_clients(desired)
        return Match(desired, None, MatchedBy.NOTHING)

    def _scoped_twin(self, desired: DesiredCampaign) -> bool:
        """Refuse to create a campaign that a client-scoped key would file as a second copy of
        one it already sees (the file has no `client_id`, the key's client has that name)."""
        client = self.sole_client
        if client is None or desired.state.client_id is not None or desired.delete:
            return False
        twins = self.by_key.get(_key(client, desired.state.name), [])
        if not twins:
            return False
        self.fail(
            desired,
            f"the file has no `client_id`, every campaign this API key sees belongs to client "
            f"{client} (as with a key scoped to that client), and '{printable(twins[0].name)}' (id "
            f"{twins[0].id}) is one of them: creating it again would make a second copy",
            f"add `client_id: {client}` (or `id: {twins[0].id}`) to the file",
        )
        return True

    def _warn_other_clients(self, desired: DesiredCampaign) -> None:
        """A create whose name exists under another client is often a missing `client_id`."""
        others = self.by_name.get(desired.state.name.strip(), [])
        if others and not desired.delete:
            where = ", ".join(f"{c.id} (client {c.client_id})" for c in others)
            self.warnings.append(
                f"'{desired.state.name}' ({desired.source}) will be created, but campaigns of "
                f"that name exist under another client: {where}; set `client_id` or `id` if "
                "the file means one of them"
            )

    def _pinned(self, desired: DesiredCampaign, pin: int) -> Match | None:
        live = self.by_id.get(pin)
        if live is None:
            if desired.delete:
                return Match(desired, None, MatchedBy.NOTHING)
            self.fail(
                desired,
                f"the pinned id {pin} is not a campaign of this Smartlead account",
                "fix the id, or remove the `id:` line to create the campaign",
            )
            return None
        self.considered[live.id] = live
        wanted = desired.state.client_id
        if wanted is not None and live.client_id != wanted:
            self.fail(
                desired,
                f"the pinned campaign {pin} belongs to client {live.client_id}, "
                f"the file says client {wanted}",
                "fix `client_id`, or move the campaign in Smartlead",
            )
            return None
        return Match(desired, live, MatchedBy.ID_PIN)


def resolve_identities(
    desired: Sequence[DesiredCampaign], live: Sequence[CampaignSummary]
) -> Resolution:
    """Match every declared campaign to at most one live campaign, reporting every ambiguity,
    missing pin and double claim at once."""
    resolver = _Resolver(live)
    matches: list[Match] = []
    claimed: dict[int, DesiredCampaign] = {}
    for campaign in desired:
        match = resolver.resolve(campaign)
        if match is None:
            continue
        if match.live is not None:
            other = claimed.setdefault(match.live.id, campaign)
            if other is not campaign:
                resolver.fail(
                    campaign,
                    f"live campaign {match.live.id} is also claimed by {other.source}",
                    "each live campaign can be declared by one file only",
                )
                continue
        matches.append(match)
    considered = tuple(sorted(resolver.considered.values(), key=lambda c: c.id))
    return Resolution(
        tuple(matches), tuple(resolver.problems), considered, tuple(resolver.warnings)
    )
