"""Terminal output: colour by the usual conventions, secrets redacted.

The run's two consoles are made once, by `cli.context.CliContext`. `redacting_streams`
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


def color_enabled(stream: TextIO, *, no_color: bool) -> bool:
    """Colour or not, first rule that speaks wins: `no_color` (the `--no-color` flag); `NO_COLOR`
    set and not empty (no-color.org); `FORCE_COLOR` set and not empty (force-color.org);
    `TERM=dumb`; otherwise colour exactly when `stream` is a terminal."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


@dataclass
class Console:
    """Where a command prints (stdout or stderr) and whether in colour; every line redacted."""

    stream: TextIO
    color: bool

    def style(self, text: str, *, fg: str | None = None, bold: bool | None = None) -> str:
        """`text` in colour `fg` (and bold) when this console shows colour, else as it is."""
        return click.style(text, fg=fg, bold=bold) if self.color else text

    def print(self, text: str = "") -> None:
        click.echo(redact(text), file=self.stream, color=self.color)

    def error(self, text: str) -> None:
        prefix = self.style("error:", fg="red", bold=True)
        body = text[len("error: ") :] if text.startswith("error: ") else text
        click.echo(f"{prefix} {redact(body)}", file=self.stream, color=self.color)
