"""Names that come from Smartlead (a campaign renamed in the UI, a webhook made there) reach
every rendering with their control characters escaped."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smartlead_sync.render.markdown import render_markdown
from smartlead_sync.render.text import render_text
from smartlead_sync.state import Webhook
from tests.plan.factories import as_live, desired, edit, plan_for

HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31mRed"


@pytest.mark.parametrize("render", [render_text, render_markdown])
def test_live_names_and_webhooks_are_rendered_escaped(render: object) -> None:
    wanted = desired("Q3 outbound")
    live = as_live(wanted.state, 7)
    extra = Webhook(HOSTILE, "https://hooks.example/x", ("EMAIL_REPLY",), ("Interested",), id=99)
    live = replace(live, name=HOSTILE, webhooks=(*(live.webhooks or ()), extra))
    plan = plan_for([edit(wanted, id=7)], [live])
    assert callable(render)
    text = render(plan)
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b[2J" in text
