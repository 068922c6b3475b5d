"""The pull-request comment for real plans: the example campaigns (with their leads) planned
against an empty emulated account, rendered by the markdown renderer, then posted."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence

import pytest

from smartlead_sync.desired import DesiredProject, load_desired
from smartlead_sync.gitops.github_texts import (
    GITHUB_BODY_LIMIT,
    PLAN_MARKER,
    RunContext,
    drift_issue_body,
    pr_comment_body,
)
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.render.markdown import render_markdown
from smartlead_sync.state import DesiredCampaign, Webhook
from tests.conftest import CANARY_KEY, FIXTURE_PROJECT
from tests.emulated import new_emulator, provider_on

RUN = RunContext("https://github.com/acme/campaigns/actions/runs/99", "ab" * 20)
LEAKY_HOOK = Webhook(
    "leaky", f"https://user:pw@hooks.example.com/in?api_key={CANARY_KEY}", ("EMAIL_REPLY",)
)


@pytest.fixture(scope="module")
def examples() -> DesiredProject:
    return load_desired(FIXTURE_PROJECT, env=dict(os.environ))


def _lead_values(campaigns: Sequence[DesiredCampaign]) -> tuple[set[str], set[str]]:
    """Every lead email and every custom-field value the campaigns hold."""
    emails: set[str] = set()
    custom: set[str] = set()
    for campaign in campaigns:
        for lead in (campaign.state.leads or {}).values():
            emails.add(lead.email)
            custom.update(value for _, value in lead.custom_fields if len(value) > 3)
    return emails, custom


def _with_leaky_webhook(campaign: DesiredCampaign) -> DesiredCampaign:
    hooks = (*(campaign.state.webhooks or ()), LEAKY_HOOK)
    return dataclasses.replace(campaign, state=dataclasses.replace(campaign.state, webhooks=hooks))


def _markdown_plan(project: DesiredProject, campaigns: Sequence[DesiredCampaign]) -> str:
    with provider_on(new_emulator(), project.tool.rate_limits) as provider:
        plan = make_plan(provider, campaigns, project.tool)
    assert plan.has_changes
    return render_markdown(plan)


def test_comment_for_the_example_plan_has_the_marker_and_no_lead_data_or_key(
    examples: DesiredProject,
) -> None:
    campaigns = [_with_leaky_webhook(examples.campaigns[0]), *examples.campaigns[1:]]
    emails, custom_values = _lead_values(campaigns)
    assert emails
    assert custom_values
    body = pr_comment_body(_markdown_plan(examples, campaigns), RUN, plan_exit_code=2)
    assert body.startswith(PLAN_MARKER + "\n")
    assert body.count(PLAN_MARKER) == 1
    assert len(body) <= GITHUB_BODY_LIMIT
    assert "leads" in body.lower()
    assert not [e for e in emails if e in body]
    assert not [v for v in custom_values if v in body]
    assert CANARY_KEY not in body
    assert "user:pw" not in body
    issue = drift_issue_body(_markdown_plan(examples, campaigns), RUN)
    assert not [e for e in emails if e in issue]
    assert CANARY_KEY not in issue


def test_comment_for_a_500_campaign_plan_stays_under_the_cap(examples: DesiredProject) -> None:
    many = [
        dataclasses.replace(c, state=dataclasses.replace(c.state, name=f"{c.state.name} #{i}"))
        for i in range(500 // len(examples.campaigns) + 1)
        for c in examples.campaigns
    ]
    markdown = _markdown_plan(examples, many)
    body = pr_comment_body(markdown, RUN, plan_exit_code=2)
    assert len(body) <= GITHUB_BODY_LIMIT
    assert body.startswith(PLAN_MARKER)
    emails, _ = _lead_values(many)
    assert not [e for e in emails if e in body]
