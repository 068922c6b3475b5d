"""The one local folder of a project: caches and coordination, never needed for correctness.

It sits beside the project file (`<project>/.smartlead-sync/`), wherever the command is run
from, and holds the embedded emulator's account, the apply journal, the rate limiter's recent
calls per account, the learned lead-batch cap, the refused leads and the local lock. Losing it
loses nothing that Smartlead or git does not hold. The folder ignores itself (its own
`.gitignore` says `*`), so in a user's repository `git status` never lists what is in it.

Everything in a repository may come from a pull request, this folder included (`git add -f`),
so nothing here follows a symbolic link: the folder must be a real directory, and every file in
it is opened with O_NOFOLLOW and used only when it is a regular file. A committed
`.smartlead-sync -> /elsewhere` or `apply.journal.jsonl -> ~/.bashrc` is refused by name
(ConfigError) before anything is read or written. Every reader and writer of local state goes
through `state_file`, `open_state`, `read_state` or `open_regular`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from smartlead_sync.desired.layout import project_of
from smartlead_sync.errors import ConfigError

STATE_DIR_NAME = ".smartlead-sync"

# The files in the folder, one name per fact.
EMULATOR_ACCOUNT = "emulator.sqlite3"
APPLY_JOURNAL = "apply.journal.jsonl"
APPLY_LOCK = "apply.lock"
RATE_BUDGET_PREFIX = "ratelimit-"  # + a digest of the account's base URL and key, + .json
# Files SQLite makes beside a database it opens by path; they must not be links either.
SQLITE_SIDECARS = ("-journal", "-wal", "-shm")

_SELF_IGNORE = "# smartlead-sync local state: caches and coordination, never committed\n*\n"
_IGNORE_FILE = ".gitignore"

# open() modes used on local state -> os.open flags. "w" truncates only after the file is
# known to be a regular one.
_FLAGS = {
    "r": os.O_RDONLY,
    "a": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
    "a+": os.O_RDWR | os.O_CREAT | os.O_APPEND,
    "w": os.O_WRONLY | os.O_CREAT,
}
_SAFE = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # no link, no wait on a FIFO


def project_root(path: Path) -> Path:
    """The project directory a command's PATH argument names (a directory or a campaign file)."""
    if path.is_file():
        root, _rel = project_of(path)
        return root
    return path


def state_dir(project_root: Path) -> Path:
    """The local state folder of the project whose directory is `project_root` (not created,
    not checked)."""
    return project_root / STATE_DIR_NAME


def state_file(project_root: Path, name: str, *, sidecars: Sequence[str] = ()) -> Path:
    """The path of file `name` in the project's local state folder, for a caller that opens it
    by path (SQLite) or with `open_regular`. The folder is created on first use, with a
    `.gitignore` that keeps it out of git. Raises ConfigError when the folder is not a real
    directory or when `name` (or `name` + a suffix in `sidecars`) exists as anything but a
    regular file."""
    folder = _checked_folder(project_root, create=True)
    assert folder is not None  # made just now, or ConfigError
    _ignore_itself(folder)
    for suffix in ("", *sidecars):
        _check_entry(folder / f"{name}{suffix}")
    return folder / name


def open_state(project_root: Path, name: str, mode: str = "a+") -> IO[str]:
    """File `name` in the local state folder, opened (created unless `mode` is "r") as text
    with `open_regular`."""
    return open_regular(state_file(project_root, name), mode)


def read_state(project_root: Path, name: str) -> str | None:
    """The text of file `name` in the local state folder, or None when the folder or the file
    does not exist. Creates nothing (a read-only checkout works); refuses links like
    `state_file`."""
    folder = _checked_folder(project_root, create=False)
    if folder is None:
        return None
    try:
        with open_regular(folder / name, "r") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def open_regular(path: Path, mode: str) -> IO[str]:
    """`path` opened as UTF-8 text without following a symbolic link in its last component,
    used only when it is a regular file; mode is one of "r", "a", "a+", "w". Raises
    ConfigError for a link or a non-regular file, OSError for anything else."""
    try:
        fd = os.open(path, _FLAGS[mode] | _SAFE, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refused(path, "is a symbolic link") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refused(path, "is not a regular file")
        os.set_blocking(fd, True)
        if mode == "w":
            os.ftruncate(fd, 0)
        return os.fdopen(fd, mode, encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


def _checked_folder(project_root: Path, *, create: bool) -> Path | None:
    """The state folder once it is known to be a real directory (made when `create`), else
    None when it does not exist and `create` is false."""
    folder = state_dir(project_root)
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder)  # never follows a link: an existing one is EEXIST, checked below
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise ConfigError(
            f"{folder} is a symbolic link; the local state folder must be a real directory "
            "inside the project, and smartlead-sync never writes through a link",
            hint=f"remove the link (rm {folder}): it holds only local caches, keeps itself "
            "out of git and is made again on the next run; never commit it",
        )
    if not stat.S_ISDIR(info.st_mode):
        raise ConfigError(
            f"{folder} is not a directory; it is the name of the local state folder",
            hint=f"remove it (rm {folder}); smartlead-sync makes the folder on the next run",
        )
    return folder


def _ignore_itself(folder: Path) -> None:
    """Write the folder's `.gitignore` unless an entry of that name exists (a user's file is
    kept; a link is never written through)."""
    try:
        fd = os.open(folder / _IGNORE_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _SAFE, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(_SELF_IGNORE)


def _check_entry(path: Path) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise _refused(path, "is a symbolic link")
    if not stat.S_ISREG(info.st_mode):
        raise _refused(path, "is not a regular file")


def _refused(path: Path, what: str) -> ConfigError:
    return ConfigError(
        f"{path} {what}; smartlead-sync keeps its local state only in regular files inside "
        "the project",
        hint=f"remove it (rm {path}): it is local state, git-ignored, and is made again on the "
        "next run; never commit the .smartlead-sync folder",
    )
