"""Lead sources: CSV files with a column map, and inline YAML lists, read into `state.Lead`s.

CSV files are UTF-8 with or without a BOM, with quoted fields and any line ending. Every file
read is checksummed so a plan can record exactly what it was computed from. Rows are numbered
by the line they start on, so `leads.csv:12` opens at the right place in an editor.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from smartlead_sync.desired.lead_file_problems import broken_csv, decode_lead_file, no_email_hint
from smartlead_sync.desired.models import InlineLead, LeadsModel, LeadSourceModel
from smartlead_sync.desired.positions import Pos
from smartlead_sync.desired.projectfiles import FileCaps, FileKind, FileRefused, read_project_file
from smartlead_sync.errors import Problem
from smartlead_sync.state import OPTIONAL_LEAD_FIELDS, STANDARD_LEAD_FIELDS, Lead

MAX_ROW_PROBLEMS = 20  # per file; more would drown the rest of the report

Locate = Callable[[Sequence[int | str]], Pos]

_MISSING_HINT = "a `csv:` path is relative to the project directory: fix the path or add the file"


@dataclass(frozen=True, slots=True)
class LeadFile:
    path: str  # as shown to the user
    sha256: str
    rows: int


@dataclass
class LeadSet:
    """The leads of one campaign, keyed by lower-cased email, first occurrence kept."""

    leads: dict[str, Lead] = field(default_factory=dict)
    duplicates: list[tuple[Lead, Lead]] = field(default_factory=list)  # (later, first)
    files: list[LeadFile] = field(default_factory=list)
    # Lead files that could not be read whole (missing, not text, broken CSV, no email column):
    # their leads are absent, so checks that need every lead (variables) do not run.
    unreadable: list[str] = field(default_factory=list)

    # Equal custom-field sets are kept once: their values repeat from row to row (titles,
    # segments), and at 10^6 leads the copies would cost hundreds of megabytes.
    _custom: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = field(
        default_factory=dict, repr=False
    )

    def shared(self, custom: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return self._custom.setdefault(custom, custom)

    def add(self, lead: Lead) -> None:
        email = lead.email
        key = email if email.islower() else email.lower()  # most are: no copy then
        if key in self.leads:
            self.duplicates.append((lead, self.leads[key]))
        else:
            self.leads[key] = lead

    @property
    def digest(self) -> str | None:
        """sha256 over the checksums of every lead file read, in source order."""
        if not self.files:
            return None
        joined = "\n".join(f.sha256 for f in self.files)
        return hashlib.sha256(joined.encode()).hexdigest()


def resolve_path(root: Path, display_root: Path, value: str) -> tuple[Path, str]:
    """A file named in YAML: relative to the project root, or absolute (e.g. from `${ENV}`);
    either way it is read only if it lies inside the project (`projectfiles`)."""
    path = Path(value)
    if path.is_absolute():
        return path, str(path)
    return root / path, str(display_root / path)


def read_leads(
    model: LeadsModel, *, root: Path, display_root: Path, locate: Locate, caps: FileCaps
) -> tuple[LeadSet, list[Problem]]:
    """Read every source of one campaign. `locate` maps a location under `leads:` to a Pos."""
    leads = LeadSet()
    problems: list[Problem] = []
    for index, source in enumerate(model.sources):
        where = ("sources", index)
        if source.inline is not None:
            _add_inline(leads, source.inline, _under(locate, (*where, "inline")))
        elif source.csv is not None:
            path, display = resolve_path(root, display_root, source.csv)
            try:
                data = read_project_file(root, path, FileKind.LEADS, caps)
            except FileRefused as exc:
                pos = locate((*where, "csv"))
                message = f"cannot read lead file {display}: {exc.message}"
                hint = _MISSING_HINT if exc.missing else exc.hint
                problems.append(pos.problem(message, code="lead-file", hint=hint))
                leads.unreadable.append(display)
                continue
            problems += _read_csv(leads, source, data, display, _under(locate, where))
    return leads, problems


def _under(locate: Locate, prefix: tuple[int | str, ...]) -> Locate:
    def at(loc: Sequence[int | str]) -> Pos:
        return locate((*prefix, *loc))

    return at


def _add_inline(leads: LeadSet, items: Iterable[InlineLead], at: Locate) -> None:
    for j, item in enumerate(items):
        where = at((j,))
        custom = tuple(sorted((k, v) for k, v in item.custom_fields.items() if v.strip()))
        values = [_blank_to_none(getattr(item, name)) for name in OPTIONAL_LEAD_FIELDS]
        leads.add(_lead(item.email.strip(), values, custom, f"{where.file}:{where.line}"))


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _read_csv(
    leads: LeadSet, source: LeadSourceModel, data: bytes, display: str, at: Locate
) -> list[Problem]:
    text = decode_lead_file(data, display)
    if isinstance(text, Problem):
        leads.unreadable.append(display)
        return [text]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=source.delimiter, strict=True)
    sha = hashlib.sha256(data).hexdigest()
    problems: list[Problem] = []
    rows = _read_rows(leads, reader, _Context(source, display, at, problems))
    leads.files.append(LeadFile(display, sha, rows))
    return problems


@dataclass(frozen=True)
class _Layout:
    email: int
    # Column per optional standard field; an absent one points just past the last column,
    # where every row gets an empty cell appended.
    optional: tuple[int, ...]
    custom: tuple[tuple[str, int], ...]  # (custom field key, column index), sorted by key
    width: int


@dataclass(frozen=True)
class _Context:
    source: LeadSourceModel
    display: str
    at: Locate  # position of a key of this source in YAML
    problems: list[Problem]


def _read_rows(leads: LeadSet, reader: Iterator[list[str]], ctx: _Context) -> int:
    display, problems = ctx.display, ctx.problems
    line = 1
    count = 0
    layout: _Layout | None = None
    row_problems = 0
    try:
        for row in reader:
            start, line = line, getattr(reader, "line_num", line) + 1
            if layout is None:
                if any(cell.strip() for cell in row):
                    layout = _layout(row, ctx)
                    if layout is None:
                        break
                continue
            problem = _add_row(leads, row, layout, f"{display}:{start}")
            if problem is None:
                count += 1
            elif problem:
                row_problems += 1
                if row_problems <= MAX_ROW_PROBLEMS:
                    problems.append(Problem(problem, display, start, code="broken-csv"))
    except csv.Error as exc:
        problems.append(broken_csv(exc, display, line))
        leads.unreadable.append(display)
    if layout is None:
        if not problems:
            problems.append(Problem("empty CSV file: no header row", display, code="broken-csv"))
        leads.unreadable.append(display)
    if row_problems > MAX_ROW_PROBLEMS:
        extra = row_problems - MAX_ROW_PROBLEMS
        problems.append(Problem(f"... and {extra} more bad rows", display, code="broken-csv"))
    return count


def _add_row(leads: LeadSet, row: list[str], layout: _Layout, where: str) -> str | None:
    """Add one data row. Returns None when added, "" for a blank row, else what is wrong.

    This runs once per lead (10^5..10^6 times per validate), hence the plain loops.
    """
    if len(row) != layout.width:
        if not any(cell.strip() for cell in row):
            return ""
        return f"row has {len(row)} fields, the header has {layout.width}"
    email = row[layout.email].strip()
    if not email:
        return "" if not any(cell.strip() for cell in row) else "row has no email"
    row.append("")
    v = [row[i].strip() or None for i in layout.optional]
    custom = leads.shared(
        tuple([(key, value) for key, i in layout.custom if (value := row[i].strip())])
    )
    lead = Lead(email, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], custom, None, where)
    leads.add(lead)
    return None


def _lead(
    email: str, v: Sequence[str | None], custom: tuple[tuple[str, str], ...], where: str
) -> Lead:
    return Lead(email, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], custom, None, where)


def normalized_header(header: str) -> str:
    """`First Name` and `first-name` both name the standard field `first_name`."""
    return header.strip().lower().replace(" ", "_").replace("-", "_")


def _layout(header: list[str], ctx: _Context) -> _Layout | None:
    names = [h.strip() for h in header]
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in index:
            ctx.problems.append(Problem(f"duplicate column {name!r} in the header", ctx.display, 1))
        index.setdefault(name, i)
    columns = _standard_columns(names, index, ctx)
    if columns is None:
        return None
    wanted = ctx.source.custom_fields
    for j, name in enumerate(wanted or ()):
        if name.strip() not in index:
            ctx.problems.append(_not_in_header(ctx, ("custom_fields", j), name, names))
    used = set(columns.values())
    custom = sorted(
        (name, i)
        for i, name in enumerate(names)
        if name
        and i not in used
        and normalized_header(name) not in STANDARD_LEAD_FIELDS
        and (wanted is None or name in wanted)
        and index[name] == i
    )
    absent = len(header)
    optional = tuple(columns.get(name, absent) for name in OPTIONAL_LEAD_FIELDS)
    return _Layout(columns["email"], optional, tuple(custom), len(header))


def _standard_columns(
    names: list[str], index: dict[str, int], ctx: _Context
) -> dict[str, int] | None:
    """Standard field -> column: mapped explicitly, or by a header that spells the field."""
    mapped = cast(Mapping[str, str], ctx.source.columns)
    columns: dict[str, int] = {}
    for field_name, header_name in mapped.items():
        if header_name.strip() in index:
            columns[field_name] = index[header_name.strip()]
        else:
            ctx.problems.append(_not_in_header(ctx, ("columns", field_name), header_name, names))
    for i, name in enumerate(names):
        standard = normalized_header(name)
        if standard in STANDARD_LEAD_FIELDS and standard not in mapped:
            columns.setdefault(standard, i)
    if "email" in columns:
        return columns
    if "email" not in mapped:  # a mapped but missing column is reported above
        ctx.problems.append(
            Problem(
                "no email column",
                ctx.display,
                1,
                code="broken-csv",
                hint=no_email_hint(names, ctx.source.delimiter),
            )
        )
    return None


def _not_in_header(
    ctx: _Context, loc: Sequence[int | str], column: str, names: list[str]
) -> Problem:
    return ctx.at(loc).problem(
        f"column {column!r} is not in the header of {ctx.display}",
        hint=_closest(column, names),
        code="unknown-column",
    )


def _closest(word: str, options: Sequence[str]) -> str | None:
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else None
