"""`apply --plan`: what a reviewed plan asks to read again, and the refusal of a stale one."""

from __future__ import annotations

from dataclasses import dataclass

from smartlead_sync.errors import StalePlanError
from smartlead_sync.plan.estimate import touched_parts
from smartlead_sync.plan.fingerprint import staleness
from smartlead_sync.plan.plan_model import SavedPlan
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.planning import Touched
from smartlead_sync.render.since_review import since_review

_SHOWN_DIFFERENCES = 20


@dataclass(frozen=True)
class Reading:
    """Which campaigns apply reads and, for a reviewed plan, only the parts its changes write
    (`touched`, None: everything)."""

    campaigns: tuple[str, ...]
    touched: Touched | None = None

    @classmethod
    def of(cls, saved: SavedPlan | None, campaigns: tuple[str, ...]) -> Reading:
        """Only what the reviewed plan changes is read and checked again."""
        if saved is None:
            return cls(campaigns)
        reviewed = [c for c in saved.campaigns if c.changes and c.name in (campaigns or [c.name])]
        return cls(tuple(c.name for c in reviewed), {c.name: touched_parts(c) for c in reviewed})


class StaleSavedPlan(StalePlanError):
    """A stale saved plan, with the plan apply would run now (for whoever shows it for review)."""

    def __init__(self, message: str, *, hint: str, saved: SavedPlan, rebuilt: Plan) -> None:
        super().__init__(message, hint=hint)
        self.saved = saved
        self.rebuilt = rebuilt


def refuse_stale(saved: SavedPlan | None, plan: Plan, replan: str) -> None:
    """Raise `StaleSavedPlan` when `plan`, made now, no longer does what `saved` did."""
    if saved is None:
        return
    reasons = staleness(saved, plan, partial=True)
    if reasons:
        raise StaleSavedPlan(
            "the saved plan is stale: "
            + "; ".join(reasons)
            + ". Nothing was changed."
            + _differences(saved, plan),
            hint=f"run {replan} again, review it, and apply that",
            saved=saved,
            rebuilt=plan,
        )


def _differences(saved: SavedPlan, plan: Plan) -> str:
    found = since_review(saved, plan)
    if found.looks_the_same:
        return "\n  The changes read the same, but what they write differs (lead data or settings)."
    lines = [f"  + {line}" for line in found.added] + [f"  - {line}" for line in found.dropped]
    lines += [f"  ~ {line}" for line in found.changed]
    more = len(lines) - _SHOWN_DIFFERENCES
    shown = lines[:_SHOWN_DIFFERENCES] + ([f"  ... and {more} more"] if more > 0 else [])
    legend = "+ now planned, - no longer planned, ~ planned differently"
    return f"\n  Since the plan was made ({legend}):\n" + "\n".join("  " + line for line in shown)
