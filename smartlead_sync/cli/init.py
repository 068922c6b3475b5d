"""`smartlead-sync init`: a working starter project in a repository, never overwriting a file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import click

from smartlead_sync import __version__
from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.cli.lockfile import (
    LOCK_COMMAND,
    Locked,
    index_option,
    lock_summary,
    make_lock,
    not_locked_lines,
    repository_dir_argument,
)
from smartlead_sync.cli.output import Console
from smartlead_sync.desired.layout import PROJECT_FILE, campaign_paths
from smartlead_sync.errors import ConfigError
from smartlead_sync.localstate import STATE_DIR_NAME
from smartlead_sync.masking import printable
from smartlead_sync.starter import (
    GITIGNORE,
    LOCK_FILE,
    PROJECT_DIR,
    gitignore_entries,
    starter_files,
)
from smartlead_sync.starter.lock import LockError

# Files a user may already have for other reasons: kept as they are, with a note.
_SKIP_NOTES = {
    ".pre-commit-config.yaml": 'add the smartlead-sync-validate hook (README, "Run `validate` '
    'before every commit")',
}


@dataclass
class _Outcome:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    ignore_added: int = 0
    lock: Locked | LockError | None = None  # None: an existing lock was kept


@click.command("init")
@repository_dir_argument
@index_option
@pass_cli
def init_command(run: CliContext, directory: Path, index_url: str) -> None:
    """Create a starter project in DIR (default: the repository's root).

    DIR left out: the root of the git repository around the current directory, else the
    current directory. Refused, writing nothing, inside an existing project.

    Writes campaigns/ (the project file, one drafted campaign, a lead CSV and the editor
    schemas), the GitHub workflows (plan, apply, drift, guard, ab), the hashed lock they
    install this version from (.github/smartlead-sync.lock.txt, see `lock-workflows`),
    .pre-commit-config.yaml and .gitignore entries. Never overwrites: an existing project stops
    it, other existing files are kept (a .gitignore only gets the missing entries). When the
    lock cannot be made (no network, or this version is not on the index) the project is
    written anyway and init says how to write the lock later.

    \b
    Exit codes: 0 project written; 1 DIR already holds a project or lies inside one (nothing
    written).
    """
    _refuse_nested_project(directory)
    _refuse_existing_project(directory)
    outcome = _write_starter(directory)
    if not (directory / LOCK_FILE).exists():
        try:
            outcome.lock = make_lock(directory, index_url)
        except LockError as exc:
            outcome.lock = exc
    _report(run.stdout, directory, outcome)


def _refuse_nested_project(directory: Path) -> None:
    """A project inside another would be read as its campaigns (and its workflows would sit
    where GitHub never looks): refused."""
    absolute = Path(os.path.abspath(directory))  # `..` resolved, as the files will be written
    for parent in absolute.parents:
        if (parent / PROJECT_FILE).is_file() or (
            parent.name == PROJECT_DIR and campaign_paths(parent)
        ):
            raise ConfigError(
                f"{printable(str(directory))} lies inside the project "
                f"{printable(os.path.relpath(parent))}; init wrote nothing",
                hint="run init at the root of the repository (the project is already there), "
                "or give it a DIR outside that project",
            )
        if (parent / ".git").exists():
            return


def _refuse_existing_project(directory: Path) -> None:
    project = directory / PROJECT_DIR
    existing = [project / PROJECT_FILE] if (project / PROJECT_FILE).exists() else []
    if project.is_dir():
        existing += [project / rel for rel in campaign_paths(project)]
    if existing:
        shown = ", ".join(str(path) for path in existing[:3])
        more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        raise ConfigError(
            f"{project} already holds a project ({shown}{more}); init wrote nothing",
            hint="init never overwrites: run it in a directory without campaigns/, or use "
            "`smartlead-sync import` to write files for the campaigns already in Smartlead",
        )


def _write_starter(directory: Path) -> _Outcome:
    outcome = _Outcome()
    for starter in starter_files():
        target = directory / starter.path
        if target.exists():
            outcome.kept.append(starter.path.as_posix())
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as stream:  # "x": never replace a file
            stream.write(starter.text)
        outcome.written.append(starter.path.as_posix())
    outcome.ignore_added = _merge_gitignore(directory / GITIGNORE)
    return outcome


def _merge_gitignore(path: Path) -> int:
    """Append the starter's entries that `.gitignore` lacks; returns how many were added."""
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip() for line in current.splitlines()}
    entries = gitignore_entries()
    missing = [e for e in entries if e.strip() and not e.startswith("#") and e not in present]
    if not missing:
        return 0
    lines = [e for e in entries if e.startswith("#") or e in missing]
    separator = "" if not current or current.endswith("\n") else "\n"
    gap = "\n" if current else ""
    with path.open("a", encoding="utf-8") as stream:
        stream.write(separator + gap + "\n".join(lines) + "\n")
    return len(missing)


def _report(console: Console, directory: Path, outcome: _Outcome) -> None:
    console.print(f"Created a smartlead-sync {__version__} starter project in {directory}:")
    for path in outcome.written:
        console.print(f"  + {path}")
    if outcome.ignore_added:
        console.print(f"  + {GITIGNORE}: {outcome.ignore_added} entries added")
    for path in outcome.kept:
        note = _SKIP_NOTES.get(path, "compare it with the starter's")
        console.print(f"  = {path} exists, left as it is ({note})")
    for line in _lock_lines(outcome.lock):
        console.print(line)
    project = directory / PROJECT_DIR
    arg = "" if _is_cwd(directory) else f" {project}"
    console.print()
    console.print("Next:")
    for command in ("validate", "plan --emulator", "apply --emulator"):
        console.print(f"  smartlead-sync {command}{arg}")
    console.print("Against your Smartlead account: set SMARTLEAD_API_KEY and drop --emulator.")
    state = project / STATE_DIR_NAME
    console.print(f"Local state goes to {state}/, which keeps itself out of git.")


def _lock_lines(lock: Locked | LockError | None) -> list[str]:
    if isinstance(lock, LockError):
        return not_locked_lines(lock)
    if lock is None:
        return [f"  = {LOCK_FILE} exists, left as it is (`{LOCK_COMMAND}` rewrites it)"]
    return [f"  + {LOCK_FILE}: {lock_summary(lock)}"]


def _is_cwd(directory: Path) -> bool:
    return os.path.realpath(directory) == os.path.realpath(Path.cwd())


COMMANDS: list[click.Command] = [init_command]
