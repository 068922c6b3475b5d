"""What a subject or body asks Smartlead to fill in: `{{variables}}`, `%sender%` tokens, spintax.

Smartlead substitutes `{{field}}` from the lead (standard fields and custom fields, keys exactly
as written), `%sender-...%` tokens from the sending mailbox, and picks one option of each
`{a|b}` group per send (smartlead-api.md §10). There is no fallback syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from smartlead_sync.errors import Severity

SENDER_TOKENS = frozenset({"sender-firstname", "sender-name", "signature", "unsubscribe-text"})
# Smartlead's own date and time helpers (§10): not lead fields, always available.
BUILTIN_PREFIX = "sl_"

_TOKEN = re.compile(r"\{\{([^{}\n]*)\}\}|\{\{|[{}|]|%([a-z][a-z0-9]*(?:-[a-z0-9]+)*)%")
_HEX_PAIR = re.compile(r"[0-9a-f]{2}\Z")  # `%e2%80` in a URL is percent-encoding, not a token


@dataclass(frozen=True, slots=True)
class Finding:
    message: str
    offset: int
    severity: Severity = Severity.ERROR
    hint: str | None = None


@dataclass
class TemplateScan:
    """Variables used (name, offset) and problems found in one text."""

    variables: list[tuple[str, int]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class _Group:
    offset: int
    options: int = 1
    variable_at: int | None = None


def scan(text: str, *, body: bool = True) -> TemplateScan:
    """Find variables and problems. Pass `body=False` for a subject line."""
    result = TemplateScan()
    groups: list[_Group] = []
    for match in _TOKEN.finditer(text):
        token, at = match.group(0), match.start()
        if match.group(1) is not None:
            _variable(result, match.group(1), at)
            for group in groups:
                if group.variable_at is None:
                    group.variable_at = at
        elif match.group(2) is not None:
            _sender_token(result, match.group(2), at)
        elif token == "{{":
            result.findings.append(Finding("`{{` is never closed with `}}`", at))
        elif token == "{":
            groups.append(_Group(at))
        elif token == "|" and groups:
            groups[-1].options += 1
        elif token == "}":
            if not groups:
                result.findings.append(Finding("`}` closes no spintax group", at))
                continue
            _close(result, groups.pop())
    for group in groups:
        result.findings.append(Finding("spintax `{` is never closed", group.offset))
    stripped = text.lstrip()
    if body and stripped.startswith("{") and not stripped.startswith("{{"):
        result.findings.append(
            Finding(
                "text starts with spintax `{`: Smartlead has been seen to drop such a body",
                len(text) - len(stripped),
                Severity.WARNING,
                "start with plain text",
            )
        )
    return result


def _variable(result: TemplateScan, content: str, at: int) -> None:
    name = content.strip()
    if "|" in name:
        result.findings.append(
            Finding(
                f"`{{{{{name}}}}}`: Smartlead has no fallback syntax",
                at,
                hint="fill the field for every lead, or list it under leads.allow_blank",
            )
        )
        name = name.split("|", 1)[0].strip()
    elif name != content:
        result.findings.append(
            Finding(
                f"spaces inside `{{{{{content}}}}}` become part of the name",
                at,
                Severity.WARNING,
                f"write {{{{{name}}}}}",
            )
        )
    if not name:
        result.findings.append(Finding("empty `{{}}`", at))
        return
    if not name.startswith(BUILTIN_PREFIX):
        result.variables.append((name, at))


def _sender_token(result: TemplateScan, name: str, at: int) -> None:
    if name in SENDER_TOKENS or _HEX_PAIR.match(name):
        return
    known = ", ".join(f"%{t}%" for t in sorted(SENDER_TOKENS))
    result.findings.append(
        Finding(f"unknown sender token %{name}%", at, Severity.WARNING, f"known: {known}")
    )


def _close(result: TemplateScan, group: _Group) -> None:
    if group.options > 1 and group.variable_at is not None:
        result.findings.append(
            Finding(
                "a spintax group contains a {{variable}}: Smartlead's parser fails on that",
                group.offset,
                hint="move the variable outside the `{a|b}` group",
            )
        )
