"""Where `import` may write: the checks made before a single file is written.

Every file goes under the output directory, through no symlink, onto no project file and
nothing but a regular file; an existing file is replaced only with `--force`, and only when an
earlier import wrote it for the same campaign. Each refusal is named.
"""

from __future__ import annotations

import stat
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from smartlead_sync.desired.layout import PROJECT_FILE
from smartlead_sync.errors import ConfigError

if TYPE_CHECKING:
    from smartlead_sync.desired.import_campaigns import ImportResult

_SHOWN = 5


def check_targets(result: ImportResult, out: Path, *, force: bool) -> ConfigError | None:
    """The error that stops the import, or None when every file may be written."""
    unsafe: list[str] = []
    clashes: list[str] = []
    foreign: list[str] = []
    for item in result.files:
        path = out / item.path
        problem = _unsafe(out, item.path)
        if problem is not None:
            unsafe.append(f"{path} ({problem})")
        elif not path.exists() or item.campaign is None:  # shared files are regenerated
            continue
        elif item.path not in result.replaceable:
            foreign.append(str(path))
        elif not force:
            clashes.append(str(path))
    if unsafe:
        return ConfigError(
            f"import will not write {_list(unsafe)}",
            hint="import writes regular files under the output directory only",
        )
    if foreign:
        return ConfigError(
            f"import would overwrite {_list(foreign)}, which an earlier import did not write "
            "for the same campaign",
            hint="move or rename them, or pass --out to import into another directory",
        )
    if clashes:
        return ConfigError(
            f"import would overwrite {_list(clashes)}",
            hint="pass --force to replace what an earlier import wrote, or --out to import "
            "into another directory",
        )
    return None


def _unsafe(out: Path, rel: PurePosixPath) -> str | None:
    """Why `out / rel` must not be written to, or None."""
    if rel.as_posix() == PROJECT_FILE or rel.is_absolute() or ".." in rel.parts:
        return "not a campaign file of this import"
    current = out
    for part in rel.parts:
        current = current / part
        try:
            mode = current.lstat().st_mode
        except FileNotFoundError:
            return None  # nothing below a missing folder exists yet
        if stat.S_ISLNK(mode):
            return "a symlink"
        if current != out / rel and not stat.S_ISDIR(mode):
            return f"{current} is not a folder"
    return None if stat.S_ISREG(mode) else "not a regular file"


def _list(paths: list[str]) -> str:
    more = f" and {len(paths) - _SHOWN} more" if len(paths) > _SHOWN else ""
    return ", ".join(paths[:_SHOWN]) + more
