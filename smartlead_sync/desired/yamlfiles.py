"""Reading a project's YAML files: each one a located mapping, laid over what it `extends:`.

Every problem goes to the shared `problems` list, with where it was found; each template is
read and resolved once however many campaigns extend it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from smartlead_sync.desired.envrefs import interpolate_env
from smartlead_sync.desired.lead_sources import resolve_path
from smartlead_sync.desired.overlay import overlay
from smartlead_sync.desired.positions import Pos, PosDict, PosList
from smartlead_sync.desired.projectfiles import FileCaps, FileKind, FileRefused, read_project_file
from smartlead_sync.desired.yamlsource import read_yaml
from smartlead_sync.errors import Problem

MAX_EXTENDS_DEPTH = 16

# What a file that is empty (or only comments) should hold at the least.
_EMPTY_HINTS = {
    FileKind.PROJECT: "give it at least `settings: {rate_limit_profile: strict}` or the "
    "`defaults:` every campaign inherits; `smartlead-sync init DIR` writes a commented example",
    FileKind.CAMPAIGN: "a campaign file needs at least `name:`; remove the file if it declares "
    "no campaign",
    FileKind.TEMPLATE: "a template holds the keys the campaigns that extend it share",
}


class YamlFiles:
    """The YAML files of one project; `caps` bounds what is read (set from the project file)."""

    def __init__(self, root: Path, env: Mapping[str, str], problems: list[Problem]) -> None:
        self.root = root
        self.env = env
        self.problems = problems
        self.caps = FileCaps()
        self._templates: dict[Path, PosDict | None] = {}
        self._template_ids: dict[str, Path] = {}  # `extends:` value -> file_identity of its file

    def read_mapping(
        self, path: Path, display: str, kind: FileKind, named_at: Pos | None = None
    ) -> PosDict | None:
        """`named_at`: where a file names this one (a template's `extends:`)."""
        try:
            raw = read_project_file(self.root, path, kind, self.caps)
        except FileRefused as exc:
            code = "missing-file" if exc.missing else "bad-file"
            if named_at is None:
                self.problems.append(Problem(exc.message, display, code=code, hint=exc.hint))
            elif exc.missing:
                self.problems.append(named_at.problem(f"template not found: {display}", code=code))
            else:
                message = f"cannot read {kind.value} {display}: {exc.message}"
                self.problems.append(named_at.problem(message, code=code, hint=exc.hint))
            return None
        data, problems = read_yaml(raw, display)
        self.problems += problems
        if data is None and not problems:
            hint = _EMPTY_HINTS.get(kind)
            self.problems.append(Problem("empty file", display, code="empty", hint=hint))
        if data is None:
            return None
        if not isinstance(data, PosDict):
            pos = getattr(data, "pos", Pos(display, 1, 1))
            self.problems.append(pos.problem("the file must be a mapping of keys to values"))
            return None
        return data

    def resolve(self, data: PosDict, chain: tuple[Path, ...]) -> PosDict:
        """`data` laid over everything it `extends:`, in order (later templates win)."""
        if "extends" not in data:
            return data
        own = PosDict(data.pos)
        for key, value in data.items():
            if key != "extends":
                own.put(key, value, data.key_pos[key], data.value_pos[key])
        names = data["extends"]
        where = data.value_pos["extends"]
        items = [(names, where)] if isinstance(names, str) else []
        if isinstance(names, PosList):
            items = list(zip(names, names.item_pos, strict=True))
        if not items or not all(isinstance(name, str) for name, _ in items):
            self.problems.append(where.problem("`extends:` takes a file path or a list of them"))
            return own
        base = PosDict(data.pos)
        for name, pos in items:
            template = self._template(name, pos, chain)
            if template is not None:
                base = overlay(base, template, self.problems)
        return overlay(base, own, self.problems)

    def _template(self, name: str, pos: Pos, chain: tuple[Path, ...]) -> PosDict | None:
        path, display = resolve_path(self.root, self.root, name)
        # Many campaigns extend the same template: its name is resolved once per load, as
        # its content is read once.
        resolved = self._template_ids.get(name)
        if resolved is None:
            resolved = self._template_ids[name] = file_identity(path)
        if resolved in chain:
            self.problems.append(pos.problem(f"`extends:` cycle through {display}"))
            return None
        if resolved in self._templates:
            return self._templates[resolved]
        if len(chain) > MAX_EXTENDS_DEPTH:
            self.problems.append(
                pos.problem(
                    f"`extends:` chain deeper than {MAX_EXTENDS_DEPTH} templates at {display}",
                    hint="a template may extend another, but not in a chain this long",
                )
            )
            return None
        data = self.read_mapping(path, display, FileKind.TEMPLATE, pos)
        if data is not None:
            interpolate_env(self.env, self.problems, data)
            data = self.resolve(data, (*chain, resolved))
        self._templates[resolved] = data
        return data


def file_identity(path: Path) -> Path:
    """What makes two names of a file the same file; reading it reports any problem."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the path
        return path.absolute()
