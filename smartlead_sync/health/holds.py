"""Guards and plan never fight: a campaign a guard paused stays paused while the guard trips.

Only a campaign whose file says `active`, that is paused in Smartlead and that has a `pause`
guard is looked at, so a plan reads analytics for nothing else. Resuming it takes a reviewed
change to the files: a raised threshold, or an `acknowledged:` date after which the counting
starts again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

from smartlead_sync.health.analytics_counts import CampaignCounts, Period
from smartlead_sync.health.guards import GuardResult, evaluate_guards
from smartlead_sync.health.spec import GuardAction
from smartlead_sync.plan.identity import Match
from smartlead_sync.state import DesiredCampaign, Status

CountsReader = Callable[[int, Period], CampaignCounts]  # (campaign id, period) -> counts


@dataclass(frozen=True)
class Hold:
    """Why a campaign stays paused although its file says active."""

    evidence: tuple[str, ...]  # one line per guard that trips

    @classmethod
    def of(cls, results: Sequence[GuardResult]) -> Hold:
        return cls(tuple(r.evidence() for r in results))

    def note(self) -> str:
        evidence = "; ".join(self.evidence)
        return (
            f"held paused by guard: {evidence}. To resume, raise the threshold or add "
            "`acknowledged: <date>` to the guard"
        )


def needs_hold_check(match: Match) -> bool:
    desired, live = match.desired, match.live
    return (
        live is not None
        and live.status is Status.PAUSED
        and desired.state.status is Status.ACTIVE
        and any(g.action is GuardAction.PAUSE for g in desired.guards)
    )


def guard_holds(
    matches: Sequence[Match], read_counts: CountsReader | None, today: date
) -> dict[str, Hold]:
    """Holds by campaign source. Without a way to read analytics, every candidate is held:
    resuming on numbers nobody read would defeat the guard."""
    holds: dict[str, Hold] = {}
    for match in matches:
        if not needs_hold_check(match):
            continue
        assert match.live is not None
        guards = [g for g in match.desired.guards if g.action is GuardAction.PAUSE]
        if read_counts is None:
            holds[match.desired.source] = Hold(("its guards' analytics cannot be read here",))
            continue
        results = evaluate_guards(guards, partial(read_counts, match.live.id), today)
        tripped = [r for r in results if r.holds]
        if tripped:
            holds[match.desired.source] = Hold.of(tripped)
    return holds


def held(desired: DesiredCampaign) -> DesiredCampaign:
    """The campaign as the plan must treat it: paused, whatever its file says."""
    return replace(desired, state=replace(desired.state, status=Status.PAUSED))


def apply_holds(matches: Sequence[Match], holds: Mapping[str, Hold]) -> tuple[Match, ...]:
    return tuple(
        replace(m, desired=held(m.desired)) if m.desired.source in holds else m for m in matches
    )
