"""The plan as JSON: the plan file itself (format documented in the README's plan section)."""

from __future__ import annotations

from smartlead_sync.plan import Plan


def render_json(plan: Plan) -> str:
    return plan.to_json()
