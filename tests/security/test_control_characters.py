"""Names that come from Smartlead (a campaign renamed in the UI, a webhook made there) reach
every rendering with their control characters escaped."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest

from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.errors import Problem
from smartlead_sync.masking import TYPOGRAPHIC, printable
from smartlead_sync.render.markdown import render_markdown
from smartlead_sync.render.text import render_text
from smartlead_sync.state import Webhook
from tests.apply.projects import write_project
from tests.conftest import RunCli
from tests.plan.factories import as_live, desired, edit, plan_for
from tests.security.campaigns import campaign
from tests.security.harness import Workspace

HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31mRed"


def _category(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs") and char not in TYPOGRAPHIC


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


# What the hostile-user pass put in bodies: an OSC 52 clipboard write, a hidden OSC 8
# hyperlink, a full reset, a raw C1 CSI, a backspace; and what hides or reorders text.
TERMINAL_ATTACKS = (
    "\x1b]52;c;cHduZWQ=\x07",
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "\x1bc",
    "\x9b2J",
    "back\bX",
)
HIDING = ("\u202e", "\u2066", "\u2069", "\u200b", "\u2060", "\u2028", "\u2029", "\ufeff")
HOSTILE_BODY = "<p>Hi " + " ".join(TERMINAL_ATTACKS + HIDING) + "</p>"
# Every character a rendered plan may not hold raw, whatever put it there.
_RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b\u2028-\u202e\u2060\u2066-\u2069\ufeff]")


def raw_characters(text: str, *, colour: bool = False) -> list[str]:
    """Characters that should have been escaped (colour codes allowed when `colour`)."""
    if colour:
        text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return sorted({f"U+{ord(c):04X}" for c in _RAW.findall(text)})


def test_printable_escapes_every_character_that_draws_nothing() -> None:
    hidden = [chr(c) for c in range(0x110000) if _category(chr(c))]
    assert len(hidden) > 2000  # C0, C1, format characters, separators, surrogates
    for char in hidden:
        shown = printable(f"a{char}b")
        assert shown.isprintable() and shown.startswith("a\\") and shown.endswith("b"), char
        assert printable(shown) == shown


def test_printable_leaves_visible_text_alone() -> None:
    text = "Café 👍 日本語\u3000test \u05e9\u05dc\u05d5\u05dd \xa0 `x` \\x1b"
    assert printable(text) == text


# Ordinary writing: an emoji sequence (ZWJ), Persian (ZWNJ), Hebrew with a right-to-left
# mark, German with a soft hyphen.
WRITING = (
    "👩\u200d💻",
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "שלום\u200f!",
    "Zusammen\xadarbeit",
)


def test_printable_keeps_the_format_characters_of_ordinary_writing() -> None:
    for text in WRITING:
        assert printable(text) == text


def test_ordinary_writing_and_isolates_pass_validate(ws: Workspace) -> None:
    """The marks real scripts carry are text; an isolate around a variable in a subject, where
    no HTML `dir` can go, is a warning, not an error; an override stays an error."""
    subject = '"\u05e9\u05dc\u05d5\u05dd \u2068{{first_name}}\u2069!"'
    body = "body: " + '"<p>' + " ".join(WRITING).replace("\u200d", "\\u200d") + '</p>"'
    ws.write("a.yaml", campaign("Writing", subject=subject, body=body))
    code, out, err = ws.run("validate", "campaigns")
    assert code == 0, out + err
    assert "warning: the subject holds an invisible character (U+2068" in out
    assert "U+200D" not in out and "U+200C" not in out and "U+200F" not in out
    assert "U+00AD" not in out


def test_a_hostile_live_body_is_rendered_escaped() -> None:
    """A body edited in Smartlead's UI reaches `plan --full` as the live side."""
    wanted = desired("Q3 outbound")
    live = as_live(wanted.state, 7)
    steps = live.sequence or ()
    live = replace(live, sequence=(*steps[:-1], replace(steps[-1], body=HOSTILE_BODY)))
    plan = plan_for([edit(wanted, id=7)], [live])
    for shown, colour in (
        (render_text(plan, full=True), False),
        (render_text(plan, full=True, color=True), True),
        (render_markdown(plan), False),
    ):
        assert raw_characters(shown, colour=colour) == [], shown
        assert "\\x1b]52;c;cHduZWQ=\\x07" in shown and "\\x9b2J" in shown
        assert "\\u202e" in shown and "\\u200b" in shown


def test_hostile_bodies_are_refused_by_validate_at_their_line(ws: Workspace) -> None:
    ws.write("bodies/hi.html", "<p>Hello</p>\n<p>plain\ttab\r</p>\n" + HOSTILE_BODY + "\n")
    ws.write("file.yaml", campaign("From a file", body="body_file: bodies/hi.html"))
    inline = campaign("Inline", body='body: "<p>Hi</p>\\n<p>\\e]52;c;eA==\\a</p>"')
    ws.write("inline.yaml", inline)
    code, out, err = ws.run("validate", "campaigns")
    assert code == 1, out + err
    assert (
        "campaigns/bodies/hi.html:3: error: the body holds a control character (U+001B) "
        "(and 8 more) (remove it:" in out
    )
    assert "campaigns/bodies/hi.html:3: error: the body holds a bidirectional control " in out
    assert "campaigns/bodies/hi.html:3: warning: the body holds an invisible character" in out
    assert (
        "campaigns/inline.yaml:6:11: error: the body holds a control" in out and "(U+001B)" in out
    )
    assert "hi.html:2" not in out  # tab and carriage return are text
    assert ws.run("plan", "campaigns", "--emulator")[0] == 1


def test_bidi_and_invisible_characters_in_names_and_subjects(ws: Workspace) -> None:
    ws.write("a.yaml", campaign('"Safe \\u202eexe.gnp"', subject='"Hi\\u200b there"'))
    code, out, _ = ws.run("validate", "campaigns")
    assert code == 1
    assert (
        "campaigns/a.yaml:1:7: error: the campaign name holds a bidirectional control "
        "character (U+202E right-to-left override)" in out
    )
    assert "campaigns/a.yaml:5:14: warning: the subject holds an invisible character" in out
    ws.write("a.yaml", campaign('"Safe\\u2060 name"', subject='"Hi\\u200b \\u2028there"'))
    code, out, err = ws.run("validate", "campaigns")
    assert code == 0, out + err
    for fmt in ("text", "markdown"):
        code, shown, err = ws.run("plan", "campaigns", "--emulator", "--format", fmt)
        assert code == 0, err
        assert raw_characters(shown) == []
        assert "Safe\\u2060 name" in shown.replace("\\\\", "\\")
        assert "Hi\\u200b \\u2028there" in shown


def test_a_body_edited_in_the_ui_reaches_every_plan_output_escaped(ws: Workspace) -> None:
    ws.write("a.yaml", campaign("Edited", body="body: <p>Hello</p>"))
    assert ws.run("apply", "campaigns", "--emulator", "--auto-approve")[0] == 0
    assert ws.run("plan", "campaigns", "--emulator", "--format", "json", "--out", "p.json")[0] == 0
    live_id = json.loads((ws.root / "p.json").read_text())["campaigns"][0]["live_id"]
    emulator = Emulator(
        EmulatorConfig(), state_path=ws.project / ".smartlead-sync" / "emulator.sqlite3"
    )
    emulator.edit_step(live_id, 1, email_body=HOSTILE_BODY)
    emulator.close()
    runs = [
        ("plan", "campaigns", "--emulator", "--full", "--out", "p.json"),
        ("plan", "campaigns", "--emulator", "--full", "--format", "markdown"),
        ("show", "p.json", "--full"),
        ("show", "p.json", "--full", "--format", "markdown"),
    ]
    for args in runs:
        code, out, err = ws.run(*args)
        assert code == 0, err
        assert "\\x1b]52;c;cHduZWQ=\\x07" in out, args
        assert raw_characters(out + err) == [], args
    for args in [
        ("plan", "campaigns", "--emulator", "--format", "json"),
        ("show", "p.json", "--format", "json"),
    ]:
        code, out, err = ws.run(*args)
        assert code == 0, err
        assert raw_characters(out + err) == [], args
        assert any(TERMINAL_ATTACKS[0] in text for text in _strings(json.loads(out))), args


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value
    return [s for item in items for s in _strings(item)] if isinstance(items, Iterable) else []


def test_a_file_name_with_a_bidi_override_is_shown_escaped_in_messages() -> None:
    assert (
        Problem("bad", "campaigns/invoice\u202egnp.yaml").file == "campaigns/invoice\\u202egnp.yaml"
    )


def test_messages_quoting_the_files_show_their_characters_escaped(ws: Workspace) -> None:
    """A `{{variable}}` name or a CSV header is quoted in a message: its escapes, newlines
    (a forged `::warning::` workflow command) and overrides are shown escaped, never raw."""
    body = 'body: "<p>{{X\\e]52;c;ZWNobw==\\a\\e[2J}} {{Job::warning::INJECTED}}</p>"'
    ws.write("leads/a.csv", 'email,"Job\n::warning::INJECTED",first_name\na@b.example,x,y\n')
    ws.write("a.yaml", campaign("Quoted", body=body, leads="leads/a.csv"))
    code, out, err = ws.run("validate", "campaigns")
    assert code == 1, out + err
    assert raw_characters(out + err) == [], out + err
    assert not any(line.startswith("::") for line in (out + err).splitlines()), out + err
    assert "\\x1b]52;c;ZWNobw==\\x07\\x1b[2J" in out
    assert "`Job\\x0a::warning::INJECTED`" in out
