"""Markdown plan for a pull-request comment (public): a marker line CI finds to update the same
comment, a summary table, a collapsible section per campaign, bodies as diffs.

Privacy comes from the row model: leads only as counts and masked samples, custom-field values
never, webhook URL secrets masked. The comment is posted by the CI's bot under the pull request
author's text, so that text must not act in it: no HTML, no markdown structure, no link, and no
`@mention` or `#123` reference (GitHub would notify the people and teams named, or cross-link
issues, in the bot's name). Such a word is shown in a code span, where GitHub does none of it.
A comment holds at most `MAX_CHARS`; a larger plan falls back to fewer details, then to the
summary alone with a pointer to the full plan.
"""

from __future__ import annotations

import html
import re

from smartlead_sync.masking import printable
from smartlead_sync.plan.plan_model import ShownPlan
from smartlead_sync.redaction import redact
from smartlead_sync.render.rows import (
    REFUSED_HEADING,
    CampaignRow,
    ChangeRow,
    FieldRow,
    Marker,
    PlanRows,
    plan_rows,
)

MARKER = "<!-- smartlead-sync:plan -->"
MAX_CHARS = 60_000
_VALUE_CHARS = 300
_BODY_LINES = 60


def code(text: str) -> str:
    """Inline code that survives backticks in `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# A word GitHub would act on: a mention (`@user`, `@org/team`, also inside `x@y`), an issue or
# pull-request reference (`#12`, `owner/repo#12`, `GH-12`) or a link it makes from bare text
# (`https://...`, `www.`).
_ACTIVE_WORD = re.compile(r"[^\s`]*(?:@|#\d|\bGH-\d|://|\bwww\.)[^\s`]*", re.IGNORECASE)


def _markdown_text(text: str) -> str:
    escaped = html.escape(text, quote=False)
    return re.sub(r"([\\`*_~\[\]|])", r"\\\1", escaped)


def inert_text(text: str, *, cell: bool = False) -> str:
    """User text in markdown context, inert: characters that draw nothing escaped, no tags, no
    markdown emphasis or links, and every word GitHub would act on in a code span. In a table
    `cell`, a `|` in a code span is escaped too."""
    parts: list[str] = []
    at = 0
    for word in _ACTIVE_WORD.finditer(text):
        quoted = code(printable(word.group()))
        parts += [
            _markdown_text(printable(text[at : word.start()])),
            quoted.replace("|", "\\|") if cell else quoted,
        ]
        at = word.end()
    parts.append(_markdown_text(printable(text[at:])))
    return "".join(parts)


def _cell(text: str) -> str:
    return inert_text(text, cell=True)


def _html(text: str) -> str:
    """Text in an HTML block (the `<summary>` line): escaped, active words in `<code>`."""
    parts: list[str] = []
    at = 0
    for word in _ACTIVE_WORD.finditer(text):
        parts.append(html.escape(text[at : word.start()], quote=False))
        parts.append(f"<code>{html.escape(word.group(), quote=False)}</code>")
        at = word.end()
    parts.append(html.escape(text[at:], quote=False))
    return "".join(parts)


def _escaped(document: str) -> str:
    """The rows are escaped already (rows.py); this makes sure that no line of the comment holds
    a control, bidirectional or invisible character, whatever a renderer added."""
    return "\n".join(map(printable, document.split("\n")))


def _short(value: str | None) -> str:
    text = value or ""
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


def _body(row: FieldRow, detailed: bool) -> list[str]:
    added = sum(1 for m, _ in row.body if m is Marker.CREATE)
    removed = sum(1 for m, _ in row.body if m is Marker.REMOVE)
    head = f"  - {code(row.path)}: +{added} -{removed} lines"
    if not detailed:
        return [head]
    lines = [f"{m.value} {text}" for m, text in row.body[:_BODY_LINES]]
    if len(row.body) > _BODY_LINES:
        lines.append(f"  … {len(row.body) - _BODY_LINES} more lines")
    content = "\n".join(lines)
    longest = max((len(run) for run in re.findall(r"`{3,}", content)), default=2)
    fence = "`" * (longest + 1)
    indented = "\n".join("    " + line for line in [f"{fence}diff", *lines, fence])
    return [head, "", indented, ""]


def _field(row: FieldRow, detailed: bool) -> list[str]:
    if row.is_body:
        return _body(row, detailed)
    if row.marker is Marker.CREATE:
        return [f"  - {code(row.path)} = {code(_short(row.after))}"]
    if row.marker is Marker.REMOVE:
        return [f"  - ~~{code(row.path)} = {code(_short(row.before))}~~"]
    return [f"  - {code(row.path)}: {code(_short(row.before))} → {code(_short(row.after))}"]


def _change(row: ChangeRow, detailed: bool) -> list[str]:
    note = f" — {inert_text(row.note)}" if row.note else ""
    lines = [f"- {code(row.marker.value)} **{inert_text(row.title)}**{note}"]
    for field in row.fields:
        lines += _field(field, detailed)
    if row.leads is not None and row.leads.fields:
        lines.append("  - fields: " + ", ".join(code(f) for f in row.leads.fields))
    if row.leads is not None and row.leads.samples:
        lines.append("  - e.g. " + ", ".join(code(s) for s in row.leads.samples))
    return lines


def _campaign(row: CampaignRow, detailed: bool) -> list[str]:
    where = "new" if row.live_id is None else f"id {row.live_id}"
    summary = (
        f"<code>{row.marker.value}</code> <b>{_html(row.name)}</b> · "
        f"{row.action.value} · {where} · <code>{html.escape(row.source, quote=False)}</code>"
    )
    lines = ["<details>", f"<summary>{summary}</summary>", ""]
    lines += [f"- _{inert_text(note)}_" for note in row.notes]
    for change in row.changes:
        lines += _change(change, detailed)
    return [*lines, "", "</details>", ""]


def _table(rows: PlanRows, budget: int) -> list[str]:
    lines = ["| | Campaign | Action | Changes | Leads + / ~ / - |", "|---|---|---|---|---|"]
    changed = [c for c in rows.campaigns if c.changes]
    used = sum(len(line) + 1 for line in lines)
    for index, c in enumerate(changed):
        titles = ", ".join(dict.fromkeys(ch.kind.value.split("_")[-1] for ch in c.changes))
        add, update, remove = c.leads
        line = (
            f"| `{c.marker.value}` | {_cell(c.name)} | {c.action.value} | {_cell(titles)} "
            f"| {add} / {update} / {remove} |"
        )
        if used + len(line) + 120 > budget:
            lines.append(f"| | … and {len(changed) - index} more campaigns | | | |")
            break
        lines.append(line)
        used += len(line) + 1
    unchanged = len(rows.campaigns) - len(changed)
    if unchanged:
        lines += ["", f"{unchanged} campaign(s) unchanged."]
    return lines


def _head(rows: PlanRows) -> list[str]:
    return [MARKER, "### smartlead-sync plan", "", f"**{inert_text(rows.summary)}**", ""]


def _tail(rows: PlanRows) -> list[str]:
    lines: list[str] = []
    if rows.safety:
        lines += ["", "**Apply will refuse these until you opt in (exit 3):**", ""]
        lines += [f"- ❗ {inert_text(s)}" for s in rows.safety]
    if rows.unverifiable:
        lines += ["", f"> Note: {inert_text(rows.unverifiable)}"]
    if rows.refused:
        lines += ["", f"**{REFUSED_HEADING}:**", ""]
        lines += [f"- {inert_text(line)}" for line in rows.refused]
    lines += [f"\n> Warning: {inert_text(w)}" for w in rows.warnings]
    return [*lines, "", f"<sub>plan fingerprint <code>{rows.fingerprint}</code></sub>", ""]


def _document(rows: PlanRows, detailed: bool, budget: int) -> str:
    lines = [*_head(rows), *_table(rows, budget), ""]
    for campaign in rows.campaigns:
        if campaign.changes:
            lines += _campaign(campaign, detailed)
    return _escaped("\n".join([*lines, *_tail(rows)]))


def render_markdown(
    plan: ShownPlan,
    *,
    full_plan_location: str = "the plan.json artifact of this run",
    max_chars: int = MAX_CHARS,
) -> str:
    """The comment text, never longer than `max_chars`."""
    rows = plan_rows(plan)
    for detailed in (True, False):
        text = redact(_document(rows, detailed, max_chars))
        if len(text) <= max_chars:
            return text
    tail = _tail(rows)
    pointer = (
        f"The full plan is too large for a comment; see {inert_text(full_plan_location)} "
        "(or run `smartlead-sync plan` locally)."
    )
    budget = max_chars - sum(len(x) + 1 for x in [*_head(rows), *tail, pointer]) - 200
    lines = [*_head(rows), pointer, "", *_table(rows, budget), *tail]
    return redact(_escaped("\n".join(lines)))[:max_chars]
