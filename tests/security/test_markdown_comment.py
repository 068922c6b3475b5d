"""The plan comment is posted by the CI's bot: text from a pull request must not act in it, by
mentioning people or teams, cross-referencing issues or making links, in the bot's name."""

from __future__ import annotations

import re

from smartlead_sync.render.markdown import render_markdown
from tests.plan.factories import as_live, desired, edit, plan_for
from tests.security.campaigns import campaign
from tests.security.harness import Workspace

ACTIVE = (
    "@octo-org/admins cc @alice, see #123 and octo/repo#9 GH-7 https://evil.example/x "
    "www.evil.example"
)
# What GitHub acts on in rendered text (outside code): mentions, references, autolinks.
_ACTS = re.compile(r"@[a-z0-9]|#\d|\bGH-\d|://|\bwww\.", re.IGNORECASE)


def outside_code(markdown: str) -> str:
    """The comment without fenced blocks, `<code>` elements and code spans (GitHub neither
    mentions nor links in them) and without backslash escapes."""
    text = re.sub(r"(?ms)^ *(`{3,})[^\n]*\n.*?^ *\1`* *$", "", markdown)
    text = re.sub(r"<code>.*?</code>", "", text)
    text = re.sub(r"\\.", "", text)
    return re.sub(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", "", text)


def test_mentions_references_and_links_from_the_files_are_inert_in_the_comment() -> None:
    name = f"Q3 | {ACTIVE}"
    wanted = desired(name)
    live = as_live(desired("Q3 old").state, 7)
    plan = plan_for([edit(wanted, id=7, webhooks=())], [live])
    text = render_markdown(plan)
    assert _ACTS.findall(outside_code(text)) == [], outside_code(text)
    (row,) = [line for line in text.splitlines() if line.startswith("| `~`")]
    assert "`@octo-org/admins`" in row and "`#123`" in row and "`https://evil.example/x`" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # the name's `|` does not add a column
    assert "<code>@alice,</code>" in text  # the <summary> line is HTML


def test_a_pull_request_cannot_ping_a_team_through_the_plan_comment(ws: Workspace) -> None:
    ws.write("a.yaml", campaign('"Launch @octo-org/admins please approve"'))
    code, out, err = ws.run("plan", "campaigns", "--emulator", "--format", "markdown")
    assert code == 0, err
    assert "`@octo-org/admins`" in out
    assert _ACTS.findall(outside_code(out)) == []
