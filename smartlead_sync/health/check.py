"""The guard run: evaluate every guard of every managed active campaign.

Pure given its reader: `check_guards` asks `read_counts` once per campaign and distinct
period, and never for a campaign that is not active in Smartlead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from smartlead_sync.health.guards import GuardResult, Verdict, evaluate_guards
from smartlead_sync.health.holds import CountsReader
from smartlead_sync.plan.identity import Match
from smartlead_sync.state import Status


@dataclass(frozen=True)
class CampaignGuards:
    name: str
    campaign_id: int
    source: str
    results: tuple[GuardResult, ...]

    @property
    def tripped(self) -> bool:
        return any(r.verdict is Verdict.TRIPPED for r in self.results)

    @property
    def to_pause(self) -> bool:
        return any(r.holds for r in self.results)


@dataclass(frozen=True)
class Skipped:
    name: str
    why: str


@dataclass(frozen=True)
class GuardReport:
    """What the guards found; `paused` lists the campaign ids paused by this run."""

    today: date
    campaigns: tuple[CampaignGuards, ...]
    skipped: tuple[Skipped, ...] = ()
    paused: tuple[int, ...] = field(default=())

    @property
    def tripped(self) -> tuple[CampaignGuards, ...]:
        return tuple(c for c in self.campaigns if c.tripped)

    @property
    def to_pause(self) -> tuple[CampaignGuards, ...]:
        return tuple(c for c in self.campaigns if c.to_pause)


def _skip_reason(match: Match) -> str | None:
    live = match.live
    if live is None:
        return "not in Smartlead yet"
    if live.status is Status.ACTIVE:
        return None
    status = live.status.value
    if live.status is Status.PAUSED and match.desired.state.status is Status.ACTIVE:
        return f"{status} in Smartlead; plan keeps it paused while a pause guard trips"
    return f"{status} in Smartlead: guards watch active campaigns only"


def check_guards(matches: Sequence[Match], read_counts: CountsReader, today: date) -> GuardReport:
    """Every guard of every declared campaign that has guards and is active in Smartlead."""
    campaigns: list[CampaignGuards] = []
    skipped: list[Skipped] = []
    for match in matches:
        desired = match.desired
        if not desired.guards or desired.delete:
            continue
        why = _skip_reason(match)
        if why is not None:
            skipped.append(Skipped(desired.state.name, why))
            continue
        assert match.live is not None
        counts = partial(read_counts, match.live.id)
        results = evaluate_guards(desired.guards, counts, today)
        campaigns.append(CampaignGuards(desired.state.name, match.live.id, desired.source, results))
    return GuardReport(today, tuple(campaigns), tuple(skipped))
