"""Terminal output: colour by the usual conventions, secrets redacted.

`--no-color` holds for the whole run; `main` resets it before each run. `redacting_streams`
puts `redact` between the process and its stdout and stderr, so that text written by any code
path (click, a warning, a traceback) passes it too.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

import click

from smartlead_sync.redaction import redact


class RedactingStream(io.TextIOBase):
    """A text stream that redacts every write before passing it on."""

    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        self.inner = inner

    def write(self, text: str | bytes) -> int:
        # click.echo hands bytes (shell completion answers) to a stream without a binary buffer.
        shown = text.decode(self.encoding, "replace") if isinstance(text, bytes) else text
        self.inner.write(redact(shown))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.inner.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.inner.errors


@contextmanager
def redacting_streams() -> Iterator[None]:
    """Route sys.stdout and sys.stderr through `redact` for the duration."""
    saved = sys.stdout, sys.stderr
    sys.stdout = RedactingStream(saved[0])
    sys.stderr = RedactingStream(saved[1])
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = saved


@dataclass
class _RunChoices:
    no_color: bool = False


_CHOICES = _RunChoices()


def reset_run_choices() -> None:
    _CHOICES.no_color = False


def no_color_chosen(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        _CHOICES.no_color = True


NO_COLOR_OPTION = click.Option(
    ["--no-color"],
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=no_color_chosen,
    help="No colour in the output (as NO_COLOR=1 does).",
)


def color_enabled(stream: TextIO) -> bool:
    """Colour or not, first rule that speaks wins: `--no-color`; `NO_COLOR` set and not empty
    (no-color.org); `FORCE_COLOR` set and not empty (force-color.org); `TERM=dumb`; otherwise
    colour exactly when `stream` is a terminal."""
    if _CHOICES.no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


@dataclass
class Console:
    stream: TextIO
    color: bool

    @classmethod
    def for_stdout(cls) -> Console:
        return cls(sys.stdout, color_enabled(sys.stdout))

    @classmethod
    def for_stderr(cls) -> Console:
        return cls(sys.stderr, color_enabled(sys.stderr))

    def style(self, text: str, **styles: object) -> str:
        return click.style(text, **styles) if self.color else text  # type: ignore[arg-type]

    def print(self, text: str = "") -> None:
        click.echo(redact(text), file=self.stream, color=self.color)

    def error(self, text: str) -> None:
        prefix = self.style("error:", fg="red", bold=True)
        body = text[len("error: ") :] if text.startswith("error: ") else text
        click.echo(f"{prefix} {redact(body)}", file=self.stream, color=self.color)
