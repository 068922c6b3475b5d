"""Terminal output: colour only on a TTY and never with NO_COLOR; secrets redacted."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import TextIO

import click

_SECRETS: set[str] = set()
_API_KEY_IN_URL = re.compile(r"(api_key=)[^&\s'\"]+", re.IGNORECASE)


def register_secret(value: str) -> None:
    """Remember a secret (the API key) so that nothing printed can contain it."""
    if len(value) >= 4:
        _SECRETS.add(value)


def redact_secrets(text: str) -> str:
    """Remove every registered secret and any `api_key=` query value from `text`."""
    text = _API_KEY_IN_URL.sub(r"\1***", text)
    for secret in _SECRETS:
        text = text.replace(secret, "***")
    return text


def color_enabled(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
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
        click.echo(redact_secrets(text), file=self.stream)

    def error(self, text: str) -> None:
        prefix = self.style("error:", fg="red", bold=True)
        body = text[len("error: ") :] if text.startswith("error: ") else text
        click.echo(f"{prefix} {redact_secrets(body)}", file=self.stream)
