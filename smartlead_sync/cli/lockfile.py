"""`smartlead-sync lock-workflows`: the hashed lock the workflow templates install from."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
import httpx
from click.core import ParameterSource

from smartlead_sync.cli.context import CliContext, pass_cli
from smartlead_sync.desired.layout import repository_of
from smartlead_sync.errors import ConfigError
from smartlead_sync.masking import printable
from smartlead_sync.starter import LOCK_FILE
from smartlead_sync.starter.lock import (
    DEFAULT_INDEX,
    WORKFLOW_PYTHON,
    LockError,
    Pin,
    dependency_closure,
    describe,
    hashed_lock,
    lock_text,
)

LOCK_COMMAND = "smartlead-sync lock-workflows"

index_option = click.option(
    "--index-url",
    default=DEFAULT_INDEX,
    show_default=True,
    envvar="SMARTLEAD_SYNC_INDEX_URL",
    metavar="URL",
    help="Where the lock's sha256 digests come from: PyPI's JSON API, or a mirror that serves "
    "<URL>/<name>/<version>/json the same way [env: SMARTLEAD_SYNC_INDEX_URL].",
)


@dataclass(frozen=True)
class Locked:
    path: Path
    pins: list[Pin]

    @property
    def files(self) -> int:
        return sum(len(pin.hashes) for pin in self.pins)


def make_lock(directory: Path, index: str) -> Locked:
    """Write `DIR/.github/smartlead-sync.lock.txt` for the smartlead-sync installed here,
    replacing any earlier one whole (never half-written). Raises LockError, writing nothing,
    when any distribution cannot be pinned with its digests."""
    with httpx.Client(follow_redirects=False) as client:
        pins = hashed_lock(dependency_closure(), client, index)
    path = directory / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".lock-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(lock_text(pins, LOCK_COMMAND))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Locked(path, pins)


def lock_summary(locked: Locked) -> str:
    return (
        f"{len(locked.pins)} distributions for Python {WORKFLOW_PYTHON}, "
        f"{locked.files} files by sha256"
    )


def not_locked_lines(error: LockError) -> list[str]:
    """What init says when it could not write the lock: why, and how to write it later."""
    return [
        f"  ! {LOCK_FILE} not written: {describe(error)}",
        "    The workflows install nothing without it. Once the reason is gone (PyPI reachable,",
        f"    a published smartlead-sync installed), run `{LOCK_COMMAND}` and commit the file.",
    ]


def repository_root(start: Path) -> Path:
    """The nearest of `start` and its parents that holds `.git`, relative to `start`; `start`
    itself outside a repository."""
    absolute = start.absolute()
    repository = repository_of(absolute)
    return Path(".") if repository is None else Path(os.path.relpath(repository, absolute))


def repository_when_omitted(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    if param.name is None or ctx.get_parameter_source(param.name) is not ParameterSource.DEFAULT:
        return value
    return repository_root(Path.cwd())


repository_dir_argument = click.argument(
    "directory",
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="[DIR]",
    callback=repository_when_omitted,
)
"""[DIR]: left out, the root of the git repository around the current directory."""


@click.command("lock-workflows")
@repository_dir_argument
@index_option
@pass_cli
def lock_workflows_command(run: CliContext, directory: Path, index_url: str) -> None:
    """Write the hashed lock the workflows install smartlead-sync from.

    Writes DIR/.github/smartlead-sync.lock.txt (DIR: the repository; left out, the git
    repository around the current directory, else the current directory): smartlead-sync as
    installed here and every distribution it needs on the workflows' Python (3.12), each
    pinned to the installed version with the sha256 of every file the package index lists
    for it. The workflows run `pip install --require-hashes -r` on it and refuse to run
    without it. Run it again after upgrading smartlead-sync and commit the file; it replaces
    the earlier lock.

    \b
    Exit codes: 0 lock written; 1 a distribution could not be pinned or hashed (the index is
    unreachable, or this version is not published there): nothing written.
    """
    try:
        locked = make_lock(directory, index_url)
    except LockError as exc:
        raise ConfigError(
            f"{LOCK_FILE} not written: {describe(exc)}",
            hint="the lock needs the package index and a smartlead-sync release published "
            "there (pip install smartlead-sync==VERSION); an earlier lock is left as it was",
        ) from None
    run.stdout.print(f"Wrote {printable(str(locked.path))}: {lock_summary(locked)}. Commit it.")


COMMANDS: list[click.Command] = [lock_workflows_command]
