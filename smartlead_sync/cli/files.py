"""Files the user names for output (`--out`, `--report`, `--journal`, `--log-http`).

They are checked when the flags are read, before any file is loaded or any call is made: a
typo in a path must not surface as a crash after a long plan or, worse, after the prompt of an
apply. Missing parent folders are created when the file is written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from smartlead_sync.errors import ConfigError
from smartlead_sync.plan.plan_file import plan_from_json
from smartlead_sync.plan.plan_model import SavedPlan
from smartlead_sync.redaction import redact

F = TypeVar("F", bound=Callable[..., Any])

OUTPUT_FILE = click.Path(dir_okay=False, path_type=Path)


def check_output_file(
    ctx: click.Context, param: click.Parameter, value: Path | None
) -> Path | None:
    """Click callback: `value` can be created or appended to (parent folders may be missing)."""
    if value is None:
        return None
    if value.exists():
        if not os.access(value, os.W_OK):
            raise click.BadParameter(f"{value} is not writable")
        return value
    parent = next(p for p in value.absolute().parents if p.exists())
    if not parent.is_dir():
        raise click.BadParameter(f"cannot create {value}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise click.BadParameter(f"cannot create {value}: {parent} is not writable")
    return value


def output_option(*names: str, **kwargs: Any) -> Callable[[F], F]:
    """A `click.option` for a file the command writes, checked as above."""
    return click.option(*names, type=OUTPUT_FILE, callback=check_output_file, **kwargs)


def write_output(path: Path, text: str) -> None:
    """Write a whole output file, creating missing parent folders; known secrets redacted."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(redact(text), encoding="utf-8")
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None


# A plan holds counts and masked samples, not lead lists: even 10,000 campaigns stay far below.
PLAN_FILE_CAP = 512 * 1024 * 1024
_PLAN_HINT = "pass the file written by `smartlead-sync plan --out`"


def read_plan_file(path: Path) -> SavedPlan:
    """A saved plan (`plan --out`); any problem with it names the file.

    Only a regular file of at most PLAN_FILE_CAP bytes is read: `/dev/zero` or a FIFO given
    as the plan is refused at once instead of being read forever or waited on."""
    try:
        data = read_regular_file(path, PLAN_FILE_CAP)
        return plan_from_json(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a plan file (not UTF-8 text)", hint=_PLAN_HINT) from None
    except OSError as exc:
        raise ConfigError(f"{path}: not a plan file ({exc.strerror})", hint=_PLAN_HINT) from None
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc.message}", hint=exc.hint) from None


def read_regular_file(path: Path, cap: int) -> bytes:
    """The bytes of `path`, a regular file of at most `cap` bytes. Raises OSError (strerror
    says why) for anything else: a device or a FIFO is refused before a byte is read, and
    the open never waits on a FIFO."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file", str(path))
        data = b"" if info.st_size > cap else stream.read(cap + 1)
    if info.st_size > cap or len(data) > cap:
        raise OSError(0, f"larger than {cap // (1024 * 1024)} MiB", str(path))
    return data
