"""Terraform-like text plan: `+` create, `~` update, `-` remove, `!` irreversible.

Compact by default (bodies as line counts, long values cut); `full` shows every body line and
the unchanged campaigns. Colour only when the caller says so: the CLI decides from the TTY and
NO_COLOR, this module never looks at the environment. The rows arrive escaped (see rows.py);
every line is escaped again before colour is added, so the colour codes are the only control
characters a text plan can hold.
"""

from __future__ import annotations

from smartlead_sync.masking import printable
from smartlead_sync.plan.plan_model import ShownPlan
from smartlead_sync.redaction import redact
from smartlead_sync.render.rows import (
    REFUSED_HEADING,
    CampaignRow,
    ChangeRow,
    FieldRow,
    Marker,
    plan_rows,
)

_COLOURS = {
    Marker.CREATE: "32",
    Marker.UPDATE: "33",
    Marker.REMOVE: "31",
    Marker.IRREVERSIBLE: "1;31",
}
_COMPACT_VALUE = 120


class _Writer:
    def __init__(self, *, color: bool, full: bool) -> None:
        self.color = color
        self.full = full
        self.lines: list[str] = []

    def paint(self, marker: Marker, text: str) -> str:
        code = _COLOURS.get(marker)
        shown = printable(text)
        return f"\x1b[{code}m{shown}\x1b[0m" if self.color and code else shown

    def dim(self, text: str) -> str:
        shown = printable(text)
        return f"\x1b[2m{shown}\x1b[0m" if self.color else shown

    def add(self, text: str) -> None:
        """A line without colour."""
        self.lines.append(printable(text))

    def emit(self, indent: int, marker: Marker, text: str) -> None:
        self.lines.append(" " * indent + self.paint(marker, f"{marker.value} {text}"))

    def cut(self, value: str | None) -> str:
        text = value or ""
        if self.full or len(text) <= _COMPACT_VALUE:
            return text
        return text[: _COMPACT_VALUE - 1] + "…"

    def field(self, row: FieldRow) -> None:
        if row.is_body:
            self.body(row)
        elif row.marker is Marker.CREATE:
            self.emit(8, row.marker, f"{row.path} = {self.cut(row.after)}")
        elif row.marker is Marker.REMOVE:
            self.emit(8, row.marker, f"{row.path} = {self.cut(row.before)}")
        else:
            self.emit(8, row.marker, f"{row.path}: {self.cut(row.before)} -> {self.cut(row.after)}")

    def body(self, row: FieldRow) -> None:
        added = sum(1 for m, _ in row.body if m is Marker.CREATE)
        removed = sum(1 for m, _ in row.body if m is Marker.REMOVE)
        if row.marker is Marker.UPDATE:
            self.emit(8, row.marker, f"{row.path}: changed (+{added} -{removed} lines)")
        else:
            count = added if row.marker is Marker.CREATE else removed
            self.emit(8, row.marker, f"{row.path}: ({count} line{'' if count == 1 else 's'})")
        if self.full:
            for marker, line in row.body:
                self.lines.append(" " * 12 + self.paint(marker, f"{marker.value} {line}"))

    def change(self, row: ChangeRow) -> None:
        self.emit(4, row.marker, row.title)
        if row.note:
            self.lines.append(" " * 8 + self.dim(f"# {row.note}"))
        for field in row.fields:
            self.field(field)
        if row.leads is not None:
            if row.leads.fields:
                self.add(" " * 8 + "fields: " + ", ".join(row.leads.fields))
            if row.leads.samples:
                self.add(" " * 8 + "e.g. " + ", ".join(row.leads.samples))

    def campaign(self, row: CampaignRow) -> None:
        where = "new" if row.live_id is None else f"id {row.live_id}"
        head = f'campaign "{row.name}" ({where}, {row.action.value})'
        if not row.changes:
            self.add(f'  campaign "{row.name}" ({where}): no changes  {row.source}')
            return
        painted = self.paint(row.marker, f"{row.marker.value} {head}")
        self.lines.append(painted + printable(f"  {row.source}"))
        for note in row.notes:
            self.lines.append(" " * 4 + self.dim(f"# {note}"))
        for change in row.changes:
            self.change(change)
        self.lines.append("")


def render_text(
    plan: ShownPlan,
    *,
    color: bool = False,
    full: bool = False,
) -> str:
    """The plan for a terminal or a CI log, ending with a one-line summary."""
    rows = plan_rows(plan)
    out = _Writer(color=color, full=full)
    for campaign in rows.campaigns:
        if campaign.changes or full:
            out.campaign(campaign)
    if full and any(not c.changes for c in rows.campaigns):
        out.lines.append("")
    if rows.safety:
        out.lines.append("Apply will refuse these until you opt in (exit 3):")
        out.lines += [out.paint(Marker.IRREVERSIBLE, f"  ! {line}") for line in rows.safety]
        out.lines.append("")
    if rows.unverifiable and (rows.has_changes or full):
        out.add(f"Note: {rows.unverifiable}")
        out.add("")
    if rows.refused:
        out.lines.append(f"{REFUSED_HEADING}:")
        for line in rows.refused:
            out.add(f"  {line}")
        out.lines.append("")
    for warning in rows.warnings:
        out.add(f"Warning: {warning}")
        out.add("")
    out.lines.append(f"Plan: {rows.summary}" if rows.has_changes else rows.summary)
    return redact("\n".join(out.lines)) + "\n"
