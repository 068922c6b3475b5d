"""Live campaigns -> campaign files, so that a team can adopt smartlead-sync on an existing account.

The files describe exactly what is live, so the first `plan` after an import shows no change.
Long HTML bodies go to body files, leads go to a CSV only when asked for (they are personal
data), mailbox passwords are never read into the state, let alone written. Every campaign is
pinned by `id:` so that identity never depends on a name that the UI can change.

select_campaigns(summaries, selectors, client_id) -> the live campaigns to import
import_files(states, declared) -> ImportResult   (pure: file paths and texts, notes)
write_files(result, out, force=...) -> paths    (refuses to overwrite unless `force`)
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from smartlead_sync.desired import campaign_file_from_state
from smartlead_sync.desired.import_targets import check_targets
from smartlead_sync.desired.import_text import adoptable
from smartlead_sync.desired.layout import PROJECT_FILE
from smartlead_sync.desired.lead_sources import normalized_header
from smartlead_sync.desired.models import CampaignFile
from smartlead_sync.desired.schema import schema_text
from smartlead_sync.desired.writer import dump_campaign
from smartlead_sync.errors import ConfigError
from smartlead_sync.masking import printable
from smartlead_sync.state import STANDARD_LEAD_FIELDS, CampaignState, CampaignSummary, Lead

# A body longer than this, or spanning more lines, is written to its own .html file.
BODY_FILE_CHARS = 300
BODY_FILE_LINES = 6
SCHEMA_FILES = {
    ".schema/campaign.schema.json": "campaign",
    ".schema/template.schema.json": "template",
    ".schema/project.schema.json": "project",
}


@dataclass(frozen=True, slots=True)
class ImportedFile:
    path: PurePosixPath  # relative to the output directory
    text: str
    campaign: str | None = None  # the campaign it belongs to (None: shared, e.g. schemas)


@dataclass(frozen=True)
class ImportResult:
    files: tuple[ImportedFile, ...]
    imported: tuple[str, ...]  # campaign files written, one per campaign
    notes: tuple[str, ...] = ()  # what the user should know before committing
    # Files an earlier import wrote for the same campaign (same path, same `id:`): the only
    # existing files `--force` may replace.
    replaceable: frozenset[PurePosixPath] = frozenset()


def select_campaigns(
    summaries: Sequence[CampaignSummary], selectors: Sequence[str], client_id: int | None
) -> list[CampaignSummary]:
    """The campaigns `--campaign NAME|ID ...` and `--client ID` pick (all, without selectors)."""
    pool = [s for s in summaries if client_id is None or s.client_id == client_id]
    if not selectors:
        return sorted(pool, key=lambda s: s.id)
    chosen: dict[int, CampaignSummary] = {}
    for selector in selectors:
        found = [s for s in pool if s.name == selector or str(s.id) == selector.strip()]
        if not found:
            scope = f" of client {client_id}" if client_id is not None else ""
            raise ConfigError(
                f"no live campaign{scope} is named or numbered {selector!r}",
                hint=_closest_names(selector, [s.name for s in pool]),
            )
        chosen.update((s.id, s) for s in found)
    return sorted(chosen.values(), key=lambda s: s.id)


def _closest_names(selector: str, names: Sequence[str]) -> str:
    match = difflib.get_close_matches(selector, names, n=3, cutoff=0.5)
    if match:
        return "did you mean " + ", ".join(repr(m) for m in match) + "?"
    return "run `smartlead-sync import` without --campaign to import every campaign"


@dataclass(frozen=True, slots=True)
class Declared:
    """A campaign an existing file in the output directory already declares."""

    source: str  # the file, relative to the output directory
    name: str
    client_id: int | None
    id: int | None


def import_files(
    states: Sequence[CampaignState], declared: Sequence[Declared] = ()
) -> ImportResult:
    """One campaign file per state (plus body files, lead CSVs and editor schemas).

    A campaign another file already declares is skipped, so that no campaign is declared twice.
    """
    names = _FileNames()
    files: list[ImportedFile] = []
    imported: list[str] = []
    notes: list[str] = []
    replaceable: set[PurePosixPath] = set()
    for live in states:
        state, refusals = adoptable(live)
        notes += refusals
        if state is None:
            continue
        target = names.campaign_file(state)
        elsewhere = _declared_elsewhere(state, declared, target)
        if elsewhere is not None:
            notes.append(f"skipped '{printable(state.name)}': already declared in {elsewhere}")
            continue
        try:
            campaign_files, campaign_notes = _campaign_files(state, target, names.stem(target))
        except ValidationError as exc:  # a live value no file can hold: say so, never crash
            notes.append(_unwritable(state, exc))
            continue
        files += campaign_files
        imported.append(target.as_posix())
        notes += campaign_notes
        if any(d.source == target.as_posix() and d.id == state.id for d in declared):
            replaceable |= {f.path for f in campaign_files}
    shared = [ImportedFile(PurePosixPath(p), schema_text(kind)) for p, kind in SCHEMA_FILES.items()]
    replaceable |= {f.path for f in shared}  # generated, never edited by hand
    files += shared
    return ImportResult(tuple(files), tuple(imported), tuple(notes), frozenset(replaceable))


def _unwritable(state: CampaignState, exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return (
        f"skipped campaign {state.id} '{printable(state.name)}': its {where} cannot be written "
        f"to a campaign file ({printable(first['msg'])}); fix it in Smartlead, then import again"
    )


def _declared_elsewhere(
    state: CampaignState, declared: Sequence[Declared], target: PurePosixPath
) -> str | None:
    for d in declared:
        same = (d.id is not None and d.id == state.id) or (
            d.name == state.name and d.client_id == state.client_id
        )
        if same and PurePosixPath(d.source) != target:
            return d.source
    return None


class _FileNames:
    """Unique, readable paths: `<slug>.yaml`, or `clients/<client id>/<slug>.yaml`."""

    def __init__(self) -> None:
        self._taken: set[str] = {PROJECT_FILE}  # a campaign named "smartlead-sync" gets -<id>

    def campaign_file(self, state: CampaignState) -> PurePosixPath:
        slug = _slug(state.name) or f"campaign-{state.id}"
        folder = PurePosixPath(f"clients/{state.client_id}") if state.client_id else PurePosixPath()
        path = folder / f"{slug}.yaml"
        if path.as_posix() in self._taken:
            path = folder / f"{slug}-{state.id}.yaml"
        self._taken.add(path.as_posix())
        return path

    @staticmethod
    def stem(campaign_file: PurePosixPath) -> str:
        """The campaign file's path without `.yaml`: it names the campaign's body and lead files."""
        return campaign_file.with_suffix("").as_posix()


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].rstrip("-")


def _campaign_files(
    state: CampaignState, target: PurePosixPath, stem: str
) -> tuple[list[ImportedFile], list[str]]:
    document = campaign_file_from_state(state).model_dump(mode="python", exclude_none=True)
    files: list[ImportedFile] = []
    for i, step in enumerate(document.get("sequence") or (), start=1):
        files += _move_body(step, f"bodies/{stem}/step-{i}", state.name)
        for variant in step.get("variants") or ():
            files += _move_body(variant, f"bodies/{stem}/step-{i}-{variant['label']}", state.name)
    notes = _webhook_notes(state)
    if state.leads:
        csv_path = PurePosixPath(f"leads/{stem}.csv")
        text, lead_notes = leads_csv(state.leads.values(), state.name)
        files.append(ImportedFile(csv_path, text, state.name))
        document["leads"] = {"sources": [{"csv": csv_path.as_posix()}]}
        notes += lead_notes
    else:
        document.pop("leads", None)  # nothing to manage: leave the live leads alone
    model = CampaignFile.model_validate(document)
    depth = len(target.parts) - 1
    schema_ref = "../" * depth + ".schema/campaign.schema.json"
    files.insert(0, ImportedFile(target, dump_campaign(model, schema_ref=schema_ref), state.name))
    return files, notes


def _move_body(item: dict[str, Any], base: str, campaign: str) -> list[ImportedFile]:
    """Replace a long inline `body` of a step or variant by a `body_file`; return that file."""
    body = item.get("body")
    if not isinstance(body, str):
        return []
    if len(body) <= BODY_FILE_CHARS and body.count("\n") < BODY_FILE_LINES:
        return []
    path = PurePosixPath(f"{base}.html")
    del item["body"]
    item["body_file"] = path.as_posix()
    return [ImportedFile(path, body, campaign)]


def _webhook_notes(state: CampaignState) -> list[str]:
    notes = []
    for hook in state.webhooks or ():
        parts = urlsplit(hook.url)
        if parts.query or parts.username or parts.password:
            notes.append(
                f"campaign {state.name!r}, webhook {hook.name!r}: the URL carries credentials "
                "or a query string; before committing, move it to an environment variable "
                "(`url: ${NAME}`)"
            )
    return notes


def leads_csv(leads: Iterable[Lead], campaign: str) -> tuple[str, list[str]]:
    """Leads as the CSV the loader reads back: standard columns, then custom fields by name."""
    rows = list(leads)
    standard = [f for f in STANDARD_LEAD_FIELDS if f == "email" or any(getattr(r, f) for r in rows)]
    custom = sorted({key for r in rows for key, _ in r.custom_fields})
    notes = [
        f"campaign {campaign!r}: custom field {key!r} reads back as the standard field "
        f"{normalized_header(key)!r}; rename it in Smartlead to keep it apart"
        for key in custom
        if normalized_header(key) in STANDARD_LEAD_FIELDS
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*standard, *custom])
    for lead in rows:
        values: Mapping[str, str] = dict(lead.custom_fields)
        writer.writerow(
            [getattr(lead, f) or "" for f in standard] + [values.get(k, "") for k in custom]
        )
    return out.getvalue(), notes


def write_files(result: ImportResult, out: Path, *, force: bool) -> list[Path]:
    """Write every file under `out`, and nowhere else: never through a symlink, never over the
    project file or anything but a regular file. An existing file is replaced only with
    `force`, and only if an earlier import wrote it for the same campaign (`replaceable`).
    Nothing is written when any file is refused; the error names them all."""
    refused = check_targets(result, out, force=force)
    if refused:
        raise refused
    written = []
    for item in result.files:
        path = out / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(path, flags, 0o644), "w", encoding="utf-8", newline="") as stream:
            stream.write(item.text)
        written.append(path)
    return written
