"""Live texts a campaign file refuses, found before `import` writes one.

`validate` refuses control characters (tab, newline and carriage return excepted in bodies) and
bidirectional controls in names, subjects, bodies and webhook names (text_checks.py). Smartlead
accepts them, so a campaign edited in its UI may hold them. `import` writes no such file: the
first `validate` would fail, and the first plan would not be the promised "no change".

adoptable(state) -> (state to write, or None to skip the campaign; notes for the user)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from smartlead_sync.desired.text_checks import character_name, refused_character
from smartlead_sync.masking import has_control_characters, printable
from smartlead_sync.state import CampaignState, Webhook

_EXCERPT = 40  # characters of a long text shown around the refused one
_WHY = (
    "campaign files refuse control characters and bidirectional overrides in names, subjects "
    "and bodies"
)


def adoptable(state: CampaignState) -> tuple[CampaignState | None, list[str]]:
    """`state` as `import` may write it, or None with the reason when it may not.

    A refused name, subject or body skips the campaign: leaving its text out would make the
    first plan rewrite the live sequence. A refused webhook leaves all the campaign's webhooks
    out of the file (unmanaged): leaving out only that one would make the first plan delete it.
    """
    label = f"campaign {state.id} '{printable(state.name)}'"
    for field, text, body in _texts(state):
        found = refused_character(text, body=body)
        if found is not None:
            what = _described(text, *found)
            return None, [
                f"skipped {label}: its {field} holds {what}; {_WHY}, so `validate` would refuse "
                "the file; fix it in Smartlead, then import again"
            ]
    hook_problem = next(filter(None, map(_webhook_problem, state.webhooks or ())), None)
    if hook_problem is None:
        return state, []
    return replace(state, webhooks=None), [
        f"{label}: {hook_problem}, which campaign files refuse; its webhooks are left out of "
        "the file, so plan and apply leave them alone; rename it in Smartlead, then import "
        "again with --force to manage them"
    ]


def _texts(state: CampaignState) -> Iterator[tuple[str, str, bool]]:
    """(field as a user finds it in Smartlead, text, whether it is a body) of every text."""
    yield "name", state.name, False
    for step in state.sequence or ():
        yield f"step {step.number} subject", step.subject, False
        yield f"step {step.number} body", step.body, True
        for v in step.variants:
            yield f"step {step.number} variant {v.label} subject", v.subject, False
            yield f"step {step.number} variant {v.label} body", v.body, True


def _webhook_problem(hook: Webhook) -> str | None:
    name = f"webhook '{printable(hook.name)}'"
    found = refused_character(hook.name, body=False)
    if found is not None:
        return f"{name} has {_kind_words(hook.name, *found)} in its name"
    if has_control_characters(hook.url):  # the URL is never shown: it may carry a token
        return f"{name} has a control character in its URL"
    for category in hook.categories:
        if has_control_characters(category):
            return f"{name} has a control character in its category '{printable(category)}'"
    return None


def _kind_words(text: str, offset: int, kind: str) -> str:
    what = "a control character" if kind == "control" else "a bidirectional control character"
    return f"{what} ({character_name(text[offset])})"


def _described(text: str, offset: int, kind: str) -> str:
    """The kind of character and the text around it, escaped: `a control character (U+001B)
    at: '<p>Hi\\x1b]52;...'`."""
    start = max(0, offset - _EXCERPT // 2)
    excerpt = text[start : start + _EXCERPT]
    before = "..." if start > 0 else ""
    after = "..." if start + _EXCERPT < len(text) else ""
    return f"{_kind_words(text, offset, kind)}: '{before}{printable(excerpt)}{after}'"
