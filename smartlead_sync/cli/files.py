"""Files the user names for output (`--out`, `--report`, `--journal`, `--log-http`).

They are checked when the flags are read, before any file is loaded or any call is made: a
typo in a path must not surface as a crash after a long plan or, worse, after the prompt of an
apply. Missing parent folders are created when the file is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from smartlead_sync.errors import ConfigError
from smartlead_sync.plan import Plan
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


def read_plan_file(path: Path) -> Plan:
    """A saved plan (`plan --out`); any problem with it names the file."""
    try:
        return Plan.from_json(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(
            f"{path}: not a plan file (not UTF-8 text)",
            hint="pass the file written by `smartlead-sync plan --out`",
        ) from None
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc.message}", hint=exc.hint) from None
