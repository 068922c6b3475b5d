"""Reading a file of the project: campaign files, and every file a campaign file names.

Campaign files come from whoever opens a pull request, and CI plans them with the API key in
its environment. So a named file (`extends:`, `body_file:`, a lead `csv:`) must resolve, after
following symlinks, to a regular file inside the project directory, no larger than its cap.
The checks run on `stat` before the file is opened, and the open never blocks (O_NONBLOCK: a
FIFO is refused, not waited on); the read stops one byte past the cap whatever stat said.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from smartlead_sync.masking import printable

KIB = 1024
MIB = 1024 * KIB


class FileKind(str, Enum):
    """What a file is for; each kind has its own size cap (see `FileCaps`)."""

    PROJECT = "project file"
    CAMPAIGN = "campaign file"
    TEMPLATE = "template"
    BODY = "body file"
    LEADS = "lead file"


@dataclass(frozen=True)
class FileCaps:
    """Size caps in bytes. Lead files are set in the project file (`max_lead_file_mb`)."""

    campaign: int = 8 * MIB  # inline leads live here
    template: int = 1 * MIB
    body: int = 256 * KIB  # an email body; Smartlead's own editor stays far below this
    leads: int = 256 * MIB

    def of(self, kind: FileKind) -> int:
        match kind:
            case FileKind.CAMPAIGN | FileKind.PROJECT:
                return self.campaign
            case FileKind.TEMPLATE:
                return self.template
            case FileKind.BODY:
                return self.body
            case FileKind.LEADS:
                return self.leads


def inline_body_refused(text: str, caps: FileCaps) -> str | None:
    """Why an inline `body:` is refused, or None: a body written in the campaign file has the
    same cap as a body file (`FileCaps.body`), one limit wherever a body is written."""
    if len(text) * 4 <= caps.body:  # UTF-8 takes at most 4 bytes a character
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    if size <= caps.body:
        return None
    return f"the body is {_size(size)}; the limit is {_size(caps.body)}, as for a body file"


class FileRefused(Exception):
    """A named file that may not or cannot be read; `message` says why and `hint` what to do."""

    def __init__(self, message: str, hint: str | None = None, *, missing: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.missing = missing  # nothing at all at that path


def read_project_file(root: Path, path: Path, kind: FileKind, caps: FileCaps) -> bytes:
    """The bytes of `path`, which must be a regular file inside `root` after resolving
    symlinks and at most `caps.of(kind)` bytes long. Raises FileRefused."""
    # Paths are handled as strings here: a project reads one or two files per campaign, and
    # `pathlib` objects for each step would cost more than the reads.
    name = os.fspath(path)
    if "\x00" in name:
        raise FileRefused("the path contains a NUL character")
    # Lexically first, so that nothing outside is even looked at; then for real, symlinks
    # resolved.
    if not _inside(os.path.abspath(name), os.path.abspath(root)):
        raise _outside(root, kind, "an absolute or ../ path")
    resolved = _resolve(name, kind)
    if not _inside(resolved, _resolve(os.fspath(root), None)):
        raise _symlink_outside(root, kind, resolved)
    info = _stat(resolved, kind)
    _check_regular(info, kind)
    _check_size(info.st_size, kind, caps)
    return _read_bounded(resolved, info, kind, caps)


def _resolve(path: str, kind: FileKind | None) -> str:
    try:
        return os.path.realpath(path, strict=True)
    except FileNotFoundError:
        what = "file" if kind is None else kind.value
        if os.path.islink(path):
            raise FileRefused(f"the {what} is a symlink to nothing (dangling)") from None
        raise FileRefused(f"no such {what}", missing=True) from None
    except ValueError:
        raise FileRefused("the path contains a NUL character") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileRefused("the path is a symlink loop") from None
        raise FileRefused(f"cannot read it: {exc.strerror or exc}") from None


def _inside(path: str, root: str) -> bool:
    """Whether normalized absolute `path` is `root` or lies under it, component-wise (as
    `PurePosixPath.is_relative_to`; a leading `//` is a root of its own there)."""
    if root == "/":
        return path.startswith("/") and not path.startswith("//")
    return path == root or path.startswith(root if root.endswith("/") else root + "/")


def _outside(root: Path, kind: FileKind, why: str) -> FileRefused:
    return FileRefused(
        f"the {kind.value} is outside the project directory ({why})",
        hint=f"keep every file a campaign uses under {printable(str(root))}",
    )


def _symlink_outside(root: Path, kind: FileKind, target: str) -> FileRefused:
    # The file itself is in the project; what it points at is not.
    return FileRefused(
        f"the {kind.value} is a symlink to {printable(target)}, which is outside the "
        "project directory",
        hint=f"put the file itself under {printable(str(root))} instead of a link to it",
    )


def _stat(path: str, kind: FileKind) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError as exc:
        raise FileRefused(f"cannot read the {kind.value}: {exc.strerror or exc}") from None


_NOT_REGULAR = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_regular(info: os.stat_result, kind: FileKind) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    what = next((name for test, name in _NOT_REGULAR if test(info.st_mode)), "not a file")
    raise FileRefused(f"the {kind.value} is {what}, not a regular file")


def _check_size(size: int, kind: FileKind, caps: FileCaps) -> None:
    cap = caps.of(kind)
    if size > cap:
        hint = "split it into smaller files"
        if kind is FileKind.LEADS:
            hint = "raise `settings: max_lead_file_mb:` in smartlead-sync.yaml, or split the file"
        raise FileRefused(
            f"the {kind.value} is {_size(size)}; the limit is {_size(cap)}", hint=hint
        )


def _read_bounded(path: str, info: os.stat_result, kind: FileKind, caps: FileCaps) -> bytes:
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileRefused(f"cannot read the {kind.value}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as stream:
        opened = os.fstat(stream.fileno())
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise FileRefused(f"the {kind.value} changed while it was read")
        _check_regular(opened, kind)
        data = stream.read(caps.of(kind) + 1)
    _check_size(len(data), kind, caps)
    return data


def _size(n: int) -> str:
    if n >= MIB:
        return f"{n / MIB:.1f} MiB"
    return f"{n / KIB:.1f} KiB" if n >= KIB else f"{n} bytes"
