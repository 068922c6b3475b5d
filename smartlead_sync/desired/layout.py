"""Which files of a project directory are campaigns, and which directory a single file belongs to.

smartlead-sync.yaml     project file: `defaults:` every campaign inherits, tool `settings:`
*.yaml, */*.yaml        one campaign per file
templates/, _*.yaml     shared pieces for `extends:`; never campaigns on their own
.schema/, .*            ignored
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from smartlead_sync.errors import Problem, Severity
from smartlead_sync.masking import printable

PROJECT_FILE = "smartlead-sync.yaml"
TEMPLATE_DIR = "templates"


def campaign_paths(root: Path) -> list[Path]:
    """Everything under `root` named like a campaign file, relative to it, in a stable order.

    Whatever the entry is: a directory named `x.yaml`, a dangling symlink or a FIFO is listed
    too, so that loading reports it instead of skipping a campaign silently. Symlinked
    directories are not descended into (`scan_project` reports them)."""
    return scan_project(root)[0]


def scan_project(root: Path) -> tuple[list[Path], list[Problem]]:
    """`campaign_paths`, and a problem for each symlinked folder that would have been searched
    for campaigns: an error when it points outside the project (as for a symlinked file), a
    warning otherwise (its campaigns are read where they really are)."""
    found: list[Path] = []
    problems: list[Problem] = []
    for directory, dirs, files in os.walk(root):
        base = Path(directory).relative_to(root)
        found += [base / name for name in (*dirs, *files) if is_campaign_path(base / name)]
        dirs[:] = [d for d in dirs if _walked(d)]
        problems += [
            _linked_folder(root, base / d)
            for d in dirs
            if os.path.islink(os.path.join(directory, d))
        ]
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(directory, d))]
    return sorted(found), problems


def repository_of(path: Path) -> Path | None:
    """The nearest of `path` and its parents that holds `.git` (as written, links not resolved);
    None outside a git repository."""
    return next((d for d in (path, *path.parents) if (d / ".git").exists()), None)


def linked_out_of_repository(root: Path) -> Problem | None:
    """An error when the way to `root` passes a symlink that lies inside a git repository and
    leads out of it. Such a link can be committed, so a pull request could point the project at
    any folder of the machine that runs the plan; links above any repository (a home directory
    on another volume) are the machine's own and are followed."""
    absolute = Path(os.path.abspath(root))
    for step in reversed((absolute, *absolute.parents)):
        repository = repository_of(step.parent) if os.path.islink(step) else None
        if repository is None:
            continue
        target, real_repository = os.path.realpath(step), os.path.realpath(repository)
        if os.path.commonpath([target, real_repository]) != real_repository:
            shown = os.path.relpath(step) if not root.is_absolute() else str(step)
            return Problem(  # escapes what it quotes
                f"{shown} is a symlink to {target}, outside the git repository {repository}; "
                "the project is not read through it",
                str(root),
                code="linked-project",
                hint="keep the campaign files in the repository itself: a committed link that "
                "leaves it could point a plan at any folder of the machine",
            )
    return None


def _linked_folder(root: Path, rel: Path) -> Problem:
    target = os.path.realpath(root / rel)
    real_root = os.path.realpath(root)
    display = str(root / rel)
    if os.path.commonpath([target, real_root]) != real_root:
        return Problem(
            f"the folder is a symlink to {printable(target)}, which is outside the project "
            "directory; campaign files in it are not read",
            display,
            code="linked-folder",
            hint=f"put the folder itself under {printable(str(root))} instead of a link to it",
        )
    return Problem(
        "the folder is a symlink; campaign files are not searched for through it",
        display,
        severity=Severity.WARNING,
        code="linked-folder",
        hint="campaigns in the folder it points to are read there; remove the link to silence this",
    )


def _walked(name: str) -> bool:
    return not name.startswith((".", "_")) and name != TEMPLATE_DIR and not _is_yaml(name)


def _is_yaml(name: str) -> bool:
    return name.endswith((".yaml", ".yml"))


def is_campaign_path(rel: Path) -> bool:
    """Whether a file at `rel` (relative to the project directory) declares a campaign."""
    if rel.suffix not in (".yaml", ".yml") or rel.as_posix() == PROJECT_FILE:
        return False
    return not any(part.startswith((".", "_")) or part == TEMPLATE_DIR for part in rel.parts)


def project_of(file: Path) -> tuple[Path, Path]:
    """The project directory of one campaign file, and the file relative to it.

    That is the nearest directory above the file that holds the project file, without leaving
    the git repository, so `extends:`, body and lead paths resolve as they do for the whole
    project; without a project file, the file's own directory.
    """
    absolute = file.absolute()
    for directory in absolute.parents:
        if (directory / PROJECT_FILE).is_file():
            shown = directory if file.is_absolute() else Path(os.path.relpath(directory))
            return shown, absolute.relative_to(directory)
        if (directory / ".git").exists():
            break
    return file.parent, Path(file.name)


def not_a_campaign(root: Path, rel: Path) -> Problem:
    if rel.as_posix() == PROJECT_FILE:
        message = "this is the project file, not a campaign file"
        hint = "give the project directory to check every campaign"
    elif rel.suffix in (".yaml", ".yml"):
        message = (
            f"a template (under {TEMPLATE_DIR}/, or named with a leading _ or .) is not a campaign"
        )
        hint = "templates are checked through the campaigns that extend them"
    else:
        message = "not a campaign file (*.yaml or *.yml)"
        hint = "give the project directory, campaigns/ by default, or one campaign file"
    return Problem(message, str(root / rel), code="not-a-campaign", hint=hint)


def missing_path(path: Path) -> Problem:
    """PATH names neither a file nor a directory: say which was meant and what to do."""
    shown = str(path)
    if path.exists():  # a FIFO, a socket, a device
        hint = "give the project directory or one campaign file as PATH"
        return Problem(f"not a file or directory: {shown}", shown, code="no-file", hint=hint)
    if not _is_yaml(path.name):
        hint = "run `smartlead-sync init` to start a project here, or give the project directory"
        return Problem(f"no such directory: {shown}", shown, code="no-dir", hint=hint + " as PATH")
    hint = "give a campaign file that exists, or the project directory as PATH"
    if path.parent.is_dir():  # compared by stem: every candidate shares the .yaml
        stems = {p.stem: p.name for p in path.parent.iterdir() if is_campaign_path(Path(p.name))}
        close = difflib.get_close_matches(path.stem, sorted(stems), n=1, cutoff=0.6)
        if close:
            hint = f"did you mean {path.parent / stems[close[0]]}?"
    return Problem(f"no such file: {shown}", shown, code="no-file", hint=hint)
