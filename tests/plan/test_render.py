"""Renderers: golden files for text, markdown and JSON; privacy and size of the markdown.

Regenerate the golden files after an intended change with
`SMARTLEAD_UPDATE_GOLDEN=1 python -m pytest tests/plan/test_render.py` and review the diff.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.render.json import render_json
from smartlead_sync.render.markdown import MARKER, MAX_CHARS, render_markdown
from smartlead_sync.render.text import render_text
from smartlead_sync.state import Lead, Status
from tests.conftest import CANARY_KEY
from tests.narrowing import managed
from tests.plan.factories import as_live, desired, edit, leads, plan_for
from tests.plan.scenario import scenario, scenario_plan

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SMARTLEAD_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {name}: run with SMARTLEAD_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return scenario_plan()


def test_text_compact_golden(plan: Plan) -> None:
    check_golden("scenario.txt", render_text(plan))


def test_text_full_golden(plan: Plan) -> None:
    check_golden("scenario-full.txt", render_text(plan, full=True))


def test_markdown_golden(plan: Plan) -> None:
    check_golden("scenario.md", render_markdown(plan))


def test_json_golden(plan: Plan) -> None:
    check_golden("scenario.json", render_json(plan))


def test_colour_only_when_asked(plan: Plan) -> None:
    assert "\x1b[" not in render_text(plan)
    coloured = render_text(plan, color=True)
    assert "\x1b[32m+ create campaign\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render_text(plan)


def test_a_plan_read_back_from_json_renders_the_same(plan: Plan) -> None:
    again = Plan.from_json(plan.to_json())
    assert render_text(again, full=True) == render_text(plan, full=True)
    assert render_markdown(again) == render_markdown(plan)
    assert again.fingerprint == plan.fingerprint
    assert again.counts == plan.counts
    assert again.estimate == plan.estimate


def test_an_empty_plan_says_so() -> None:
    wanted = desired()
    plan = plan_for([wanted], [as_live(wanted.state, 1)])
    assert render_text(plan) == "No changes. Smartlead matches the files (1 campaign).\n"
    assert "No changes" in render_markdown(plan)


def _private_values() -> tuple[set[str], set[str]]:
    wanted, live = scenario()
    emails: set[str] = set()
    custom: set[str] = set()
    for campaign in [*(w.state for w in wanted), *live]:
        for lead in (campaign.leads or {}).values():
            emails.add(lead.email)
            custom.update(value for _, value in lead.custom_fields)
    return emails, custom


@pytest.mark.parametrize("render", ["markdown", "json", "text"])
def test_no_lead_email_custom_value_or_webhook_secret_is_shown(plan: Plan, render: str) -> None:
    text = {
        "markdown": lambda: render_markdown(plan),
        "json": lambda: render_json(plan),
        "text": lambda: render_text(plan, full=True),
    }[render]()
    emails, custom = _private_values()
    assert not [e for e in emails if e in text]
    assert not [v for v in custom if v in text]
    assert "s3cret" not in text and "pw@" not in text and "key=abc" not in text
    assert "p***@globex.example" in text


def _huge_plan(campaigns: int) -> Plan:
    wanted = []
    live = []
    for i in range(campaigns):
        d = edit(
            desired(f"Campaign {i:03d} for a client with a long name", n_leads=20), client_id=i
        )
        secret = Lead(
            email=f"ceo{i}@secret-{i}.example", custom_fields=(("Note", f"{CANARY_KEY}-{i}"),)
        )
        live.append(as_live(d.state, 2_000_000 + i))
        steps = (
            managed(d.state.sequence)[0],
            replace(managed(d.state.sequence)[1], body=f"<p>New {i}</p><p>Bye</p>"),
        )
        wanted.append(
            edit(
                d,
                status=Status.PAUSED,
                sequence=steps,
                leads={
                    **managed(d.state.leads),
                    secret.key: secret,
                    **leads(5, domain=f"n{i}.example"),
                },
            )
        )
    return plan_for(wanted, live)


def test_markdown_of_a_500_campaign_plan_stays_under_the_cap_and_private() -> None:
    plan = _huge_plan(500)
    text = render_markdown(plan, full_plan_location="the plan.json artifact")
    assert len(text) <= MAX_CHARS
    assert text.startswith(MARKER + "\n")
    assert "too large for a comment; see the plan.json artifact" in text
    assert "500 to update" in text
    assert "@secret-" not in text.replace("c***@secret-", "")
    assert CANARY_KEY not in text
    assert "| Campaign | Action |" in text and "Campaign 000 for a client" in text


def test_markdown_drops_body_diffs_before_dropping_campaign_details() -> None:
    plan = _huge_plan(40)
    full = render_markdown(plan, max_chars=10**7)
    assert "```diff" in full
    text = render_markdown(plan, max_chars=len(full) - 1)
    assert "```diff" not in text and "<details>" in text
