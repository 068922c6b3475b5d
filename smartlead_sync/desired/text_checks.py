"""Characters that draw nothing, in the texts a reviewer reads: names, subjects and bodies.

A campaign file comes from a pull-request author, and its texts reach a reviewer's terminal and
the plan comment. Plans show such characters escaped (`masking.printable`); these checks say so
at the line that holds them, before anything is sent:

- a control character in a body (an escape sequence can write the clipboard, hide a link or
  clear the screen) is an error; tab, newline and carriage return are text. Names and subjects
  refuse every control character already (`fieldtypes.one_line`);
- a bidirectional embedding or override (U+202A-202E) is an error: the text reads in another
  order than it is stored, in the plan as in Smartlead;
- an isolate (U+2066-2069), which right-to-left text may use around a `{{variable}}` where no
  HTML `dir` can go, and any other character that draws nothing (zero-width spaces, a
  byte-order mark inside the text, line and paragraph separators) is a warning. The soft
  hyphen, the zero-width joiners and the direction marks of ordinary writing are text
  (`masking.TYPOGRAPHIC`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from smartlead_sync.desired.positions import Pos
from smartlead_sync.desired.project import CampaignSource
from smartlead_sync.desired.variables import template_texts
from smartlead_sync.errors import Problem, Severity
from smartlead_sync.masking import is_hidden, printable

_BODY_TEXT_CONTROLS = frozenset("\t\n\r")
# Embeddings and overrides reorder the text around them (Trojan Source, CVE-2021-42574).
BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e")


def check_characters(source: CampaignSource) -> Iterator[Problem]:
    """Every name, subject and body of one campaign file, variants and body files included."""
    model = source.model
    yield from _problems("the campaign name", model.name, source.at("name"), body=False)
    for i, old in enumerate(model.previous_names):
        yield from _problems("a previous name", old, source.at("previous_names", i), body=False)
    for i, hook in enumerate(model.webhooks or ()):
        where = source.at("webhooks", i, "name")
        yield from _problems("a webhook name", hook.name, where, body=False)
    for text, pos, is_body in template_texts(source):
        yield from _problems("the body" if is_body else "the subject", text, pos, body=is_body)


def refused_character(text: str, *, body: bool) -> tuple[int, str] | None:
    """Where the first character `validate` refuses in such a text stands, and its kind
    (`control` or `bidi`); None when it refuses none. `body`: tab, newline and carriage return
    are text. Warnings (other invisible characters) are not refusals."""
    if text.isprintable():
        return None
    for offset, char in enumerate(text):
        kind = None if char.isprintable() else _kind(char, body=body)
        if kind in ("control", "bidi"):
            return offset, kind
    return None


def character_name(char: str) -> str:
    """`U+202E right-to-left override`: how messages name a character that draws nothing."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '').lower()}".rstrip()


def _kind(char: str, *, body: bool) -> str | None:
    if char in BIDI_OVERRIDES:
        return "bidi"
    if unicodedata.category(char) == "Cc":
        return None if body and char in _BODY_TEXT_CONTROLS else "control"
    return "invisible" if is_hidden(char) else None


def _problems(what: str, text: str, pos: Pos, *, body: bool) -> Iterator[Problem]:
    """One problem per kind of character found in `text`, at the first one, with a count."""
    if text.isprintable():
        return
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for offset, char in enumerate(text):
        if char.isprintable():
            continue
        kind = _kind(char, body=body)
        if kind is not None:
            first.setdefault(kind, offset)
            count[kind] = count.get(kind, 0) + 1
    for kind, offset in first.items():
        yield _problem(kind, what, pos, text[offset], (pos.line_of(text, offset), count[kind]))


def _problem(kind: str, what: str, pos: Pos, char: str, at: tuple[int, int]) -> Problem:
    """`at`: the line of the first such character, and how many there are."""
    line, count = at
    named = character_name(char)
    more = f" (and {count - 1} more)" if count > 1 else ""
    column = None if pos.block else pos.column
    if kind == "control":
        message = f"{what} holds a control character ({named}){more}"
        hint = (
            "remove it: in a terminal it can clear the screen, hide a link or write the "
            "clipboard; HTML needs none, use <br> or <p> for line breaks"
        )
    elif kind == "bidi":
        message = (
            f"{what} holds a bidirectional control character ({named}){more}: it reads in "
            "another order than it is stored"
        )
        hint = "remove it; right-to-left text needs no override, in HTML use the dir attribute"
    else:
        message = f"{what} holds an invisible character ({named}){more}"
        hint = f"remove it unless it is meant; plans show it as {printable(char)}"
    severity = Severity.WARNING if kind == "invisible" else Severity.ERROR
    return Problem(message, pos.file, line, column, severity, f"{kind}-character", hint)
