"""The Plan: pure data. What is reviewed (rendered, saved as JSON) is what apply executes.

A runnable `Plan` holds, per declared campaign, the changes of changes.py in apply order, each
with what to show and what to execute (its payload). Its file form is plan_file.py's; reading a
file gives a `SavedPlan` (plan_model.py), which shows and compares but never runs.
"""

from __future__ import annotations

from smartlead_sync.plan.changes import Change
from smartlead_sync.plan.plan_file import plan_from_json, plan_to_json
from smartlead_sync.plan.plan_model import CampaignPlanOf, PlanOf, SavedPlan

CampaignPlan = CampaignPlanOf[Change]


class Plan(PlanOf[Change]):
    """A plan apply can run: every change carries its payload."""

    def to_json(self) -> str:
        return plan_to_json(self)

    @staticmethod
    def from_json(text: str) -> SavedPlan:
        """A plan file read back: it shows and compares, never runs (see plan_file.py)."""
        return plan_from_json(text)
