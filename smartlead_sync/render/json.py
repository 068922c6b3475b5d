"""The plan as JSON: the plan file itself (format documented in the README's plan section)."""

from __future__ import annotations

from smartlead_sync.plan.plan_file import plan_to_json
from smartlead_sync.plan.plan_model import ShownPlan


def render_json(plan: ShownPlan) -> str:
    return plan_to_json(plan)
