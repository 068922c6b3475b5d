"""Files -> validated models -> normalized campaigns, with every problem located.

Layout of a project directory (the default is `campaigns/`):

    smartlead-sync.yaml     project file: `defaults:` every campaign inherits, tool `settings:`
    *.yaml, */*.yaml        one campaign per file
    templates/, _*.yaml     shared pieces for `extends:`; never campaigns on their own
    .schema/, .*            ignored

Paths written in YAML (`extends:`, `body_file:`, lead `csv:`) are relative to the project
directory and must stay inside it (see `projectfiles`); yamlfiles.py reads them and resolves
`extends:`. Loading never stops at the first problem.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from smartlead_sync.desired.envrefs import credential_in, credential_problem, interpolate_env
from smartlead_sync.desired.errors_map import validation_problems
from smartlead_sync.desired.file_to_state import desired_campaign
from smartlead_sync.desired.layout import (
    PROJECT_FILE,
    is_campaign_path,
    linked_out_of_repository,
    missing_path,
    not_a_campaign,
    project_of,
    scan_project,
)
from smartlead_sync.desired.lead_sources import LeadSet, read_leads, resolve_path
from smartlead_sync.desired.models import CampaignFile
from smartlead_sync.desired.overlay import overlay
from smartlead_sync.desired.positions import Pos, PosDict, locate
from smartlead_sync.desired.project import BodyFile, CampaignSource, DesiredProject
from smartlead_sync.desired.project_file import ProjectFile
from smartlead_sync.desired.projectfiles import (
    FileCaps,
    FileKind,
    FileRefused,
    inline_body_refused,
    read_project_file,
)
from smartlead_sync.desired.tool_settings_file import tool_settings
from smartlead_sync.desired.yamlfiles import YamlFiles, file_identity
from smartlead_sync.errors import InputError, Problem, Severity


def load_desired(
    root: Path, *, env: Mapping[str, str], campaigns: Sequence[str] = ()
) -> DesiredProject:
    """Load and validate a project. Raises InputError listing every problem found."""
    project, problems = load_project(root, env=env, campaigns=campaigns)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise InputError(errors, f"{len(errors)} problem(s) in {root}")
    return project


def load_project(
    root: Path, *, env: Mapping[str, str], campaigns: Sequence[str] = ()
) -> tuple[DesiredProject, list[Problem]]:
    """Load what is valid and list what is not; `campaigns` filters by name, old name or id."""
    only: set[Path] | None = None
    rel = None
    if root.is_file():
        root, rel = project_of(root)
    leaving = linked_out_of_repository(root)
    if leaving is not None:  # nothing under it is looked at
        return DesiredProject(root, (), tool_settings(None)), [leaving]
    if rel is not None:
        if not is_campaign_path(rel):
            return DesiredProject(root, (), tool_settings(None)), [not_a_campaign(root, rel)]
        only = {rel}
    loader = _Loader(root, env)
    if not root.is_dir():
        loader.problems.append(missing_path(root))
        return DesiredProject(root, (), tool_settings(None)), loader.problems
    with _cyclic_gc_paused():
        project = loader.load(only, set(campaigns))
    return project, loader.problems


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Loading allocates about ten objects per lead, all long-lived and free of cycles; the
    cyclic collector would rescan them again and again (a third of the CPU at 200,000 leads).
    Reference counting still frees everything temporary."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Loader:
    def __init__(self, root: Path, env: Mapping[str, str]) -> None:
        self.root = root
        self.env = env
        self.problems: list[Problem] = []
        self.files = YamlFiles(root, env, self.problems)

    def display(self, rel: Path) -> str:
        return str(self.root / rel)

    def load(self, only: set[Path] | None, names: set[str]) -> DesiredProject:
        project, defaults = self._project_file()
        sources: dict[str, CampaignSource] = {}
        campaigns = []
        paths, linked = scan_project(self.root)
        if only is None:
            self.problems += linked
        for rel in paths:
            if only is not None and rel not in only:
                continue
            source = self._campaign(rel, defaults, names)
            if source is None:
                continue
            sources[rel.as_posix()] = source
            campaigns.append(
                desired_campaign(source.model, rel.as_posix(), _texts(source), source.leads)
            )
        self._unmatched(names, sources.values())
        if only is None and not campaigns and not self.problems and not names:
            self.problems.append(
                Problem(
                    "no campaign files (*.yaml) found: there is nothing to check or plan",
                    str(self.root),
                    code="no-campaigns",
                    hint="add a campaign file (one *.yaml per campaign), or run "
                    "`smartlead-sync init` in an empty directory for a starter project",
                )
            )
        warnings = tuple(p for p in self.problems if p.severity is Severity.WARNING)
        return DesiredProject(self.root, tuple(campaigns), project, warnings, sources)

    def _unmatched(self, names: set[str], sources: Iterable[CampaignSource]) -> None:
        """A `--campaign` that selects nothing is a typo, not an empty plan."""
        found = {key for s in sources for key in _keys(s.model)}
        for name in sorted(names - found):
            self.problems.append(
                Problem(
                    f"no campaign named {name!r} in {self.root}",
                    str(self.root),
                    code="unknown-campaign",
                )
            )

    # --- the project file -----------------------------------------------------------------

    def _project_file(self) -> tuple[Any, PosDict]:
        path = self.root / PROJECT_FILE
        display = self.display(Path(PROJECT_FILE))
        empty = PosDict(Pos(display, 1, 1))
        if not path.exists() and not path.is_symlink():
            return tool_settings(None), empty
        data = self.files.read_mapping(path, display, FileKind.PROJECT)
        if data is None:
            return tool_settings(None), empty
        defaults = data.get("defaults")
        if isinstance(defaults, PosDict):
            interpolate_env(self.env, self.problems, defaults)
        settings = None
        try:
            settings = ProjectFile.model_validate(data).settings
        except ValidationError as exc:
            self.problems += validation_problems(exc, data, ProjectFile, data.pos)
        tool = tool_settings(settings)
        self.files.caps = FileCaps(leads=tool.max_lead_file_bytes)
        # A mistake in `settings:` must not drop the defaults: every campaign would then
        # report errors that are not its own.
        if isinstance(defaults, PosDict) and all(isinstance(k, str) for k in defaults):
            self._check_no_extends(defaults)
            return tool, defaults
        return tool, empty

    def _check_no_extends(self, defaults: PosDict) -> None:
        if "extends" in defaults:
            self.problems.append(
                defaults.key_pos["extends"].problem("`extends:` is not allowed in defaults")
            )
            defaults.pop("extends")
        if "safety" in defaults:  # the project's limits have one place: settings.safety
            where = defaults.key_pos["safety"]
            self.problems.append(
                where.problem("`safety:` is not allowed in defaults; use `settings: {safety: ...}`")
            )
            defaults.pop("safety")

    # --- one campaign ---------------------------------------------------------------------

    def _campaign(self, rel: Path, defaults: PosDict, names: set[str]) -> CampaignSource | None:
        display = self.display(rel)
        data = self.files.read_mapping(self.root / rel, display, FileKind.CAMPAIGN)
        if data is None:
            return None
        interpolate_env(self.env, self.problems, data)
        resolved = self.files.resolve(data, (file_identity(self.root / rel),))
        merged = overlay(defaults, resolved, self.problems)
        try:
            model = CampaignFile.model_validate(merged)
        except ValidationError as exc:
            self._add_validation(validation_problems(exc, merged, CampaignFile, data.pos))
            return None
        if names and not _selected(model, names):
            return None
        bodies = self._bodies(model, merged)
        leads = self._leads(model, merged)
        return CampaignSource(model, display, merged, bodies, leads)

    def _add_validation(self, problems: list[Problem]) -> None:
        """Skip what follows from a `${ENV}` that was not expanded (unset, or a credential):
        the value stayed `${NAME}`, and "no such lead file" or "not a URL" would only repeat
        the error already reported at the same spot."""
        env_spots = {(p.file, p.line, p.column) for p in self.problems if p.code in _ENV_CODES}
        self.problems += [p for p in problems if (p.file, p.line, p.column) not in env_spots]

    # --- body files and leads -------------------------------------------------------------

    def _bodies(self, model: CampaignFile, data: PosDict) -> dict[str, BodyFile]:
        bodies: dict[str, BodyFile] = {}
        self._inline_bodies(model, data)
        for i, step in enumerate(model.sequence or ()):
            wanted: list[tuple[str | None, tuple[int | str, ...]]] = [
                (step.body_file, ("sequence", i, "body_file"))
            ]
            wanted += [
                (v.body_file, ("sequence", i, "variants", j, "body_file"))
                for j, v in enumerate(step.variants)
            ]
            for name, loc in wanted:
                if name is not None and name not in bodies:
                    body = self._body_file(name, locate(data, loc, data.pos))
                    if body is not None:
                        bodies[name] = body
        return bodies

    def _inline_bodies(self, model: CampaignFile, data: PosDict) -> None:
        """Inline `body:` texts are capped like body files."""
        for i, step in enumerate(model.sequence or ()):
            written: list[tuple[str | None, tuple[int | str, ...]]] = [
                (step.body, ("sequence", i, "body"))
            ]
            written += [
                (v.body, ("sequence", i, "variants", j, "body"))
                for j, v in enumerate(step.variants)
            ]
            for text, loc in written:
                refused = inline_body_refused(text, self.files.caps) if text else None
                if refused is not None:
                    self.problems.append(
                        locate(data, loc, data.pos).problem(
                            refused, code="too-large", hint="shorten it: no inbox shows it whole"
                        )
                    )

    def _body_file(self, name: str, pos: Pos) -> BodyFile | None:
        path, display = resolve_path(self.root, self.root, name)
        try:
            raw = read_project_file(self.root, path, FileKind.BODY, self.files.caps)
            body = BodyFile(display, raw.decode("utf-8-sig"))
            found = credential_in(body.text, self.env)
            if found is not None:  # the body is sent to Smartlead as it is
                line = body.text.count("\n", 0, found[1]) + 1
                where = Pos(display, line, 1)
                self.problems.append(credential_problem(f"body file {display}", found[0], where))
            return body
        except UnicodeDecodeError as exc:
            self.problems.append(
                pos.problem(
                    f"body file {display} is not UTF-8 text (bad byte at offset {exc.start})"
                )
            )
        except FileRefused as exc:
            message = f"cannot read body file {display}: {exc.message}"
            code = "missing-file" if exc.missing else "bad-file"
            self.problems.append(pos.problem(message, code=code, hint=exc.hint))
        return None

    def _leads(self, model: CampaignFile, data: PosDict) -> LeadSet | None:
        if model.leads is None:
            return None

        def at(loc: Sequence[int | str]) -> Pos:
            return locate(data, ("leads", *loc), data.pos)

        leads, problems = read_leads(
            model.leads, root=self.root, display_root=self.root, locate=at, caps=self.files.caps
        )
        self._add_validation(problems)
        return leads


# The problems of a `${NAME}` left unexpanded (desired/envrefs.py).
_ENV_CODES = ("missing-env", "credential-env")


def _keys(model: CampaignFile) -> set[str]:
    """What `--campaign` may name: the name, a previous name, or the pinned id."""
    keys = {model.name, *model.previous_names}
    if model.id is not None:
        keys.add(str(model.id))
    return keys


def _selected(model: CampaignFile, names: set[str]) -> bool:
    return bool(_keys(model) & names)


def _texts(source: CampaignSource) -> dict[str, str]:
    return {name: body.text for name, body in source.bodies.items()}
