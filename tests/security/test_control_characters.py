"""Names that come from Smartlead (a campaign renamed in the UI, a webhook made there) reach
every rendering with their control characters escaped."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from smartlead_sync.render.markdown import render_markdown
from smartlead_sync.render.text import render_text
from smartlead_sync.state import Webhook
from tests.apply.projects import write_project
from tests.conftest import RunCli
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


def test_file_names_are_shown_escaped(run_cli: RunCli, tmp_path: Path) -> None:
    """A committed file name reaches messages and plans escaped: no terminal escape, and no
    newline that would start a `::` GitHub Actions command in a CI log."""
    root = write_project(tmp_path / "campaigns", campaigns=1, leads=1)
    hostile = root / "x\n::warning file=evil::pwn\x1b]0;owned\x07.yaml"
    shown = "x\\x0a::warning file=evil::pwn\\x1b]0;owned\\x07.yaml"
    campaign = "name: Second\nstatus: drafted\nsequence:\n"
    campaign += "  - {delay_days: 0, subject: a, body: b}\n"
    hostile.write_text(campaign, encoding="utf-8")
    planned = run_cli("plan", "--emulator", cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    hostile.write_text(campaign + "statuz: active\n", encoding="utf-8")
    invalid = run_cli("validate", cwd=tmp_path)
    assert invalid.returncode == 1
    for out in (planned.stdout, invalid.stdout + invalid.stderr):
        assert "\x1b" not in out and "\x07" not in out and "\n::warning" not in out
    assert f'"Second" (new, create)  {shown}\n' in planned.stdout
    assert f"campaigns/{shown}:5:1: error: unknown key 'statuz'" in invalid.stdout
