"""Terminal output: colour by the usual conventions, errors in the format asked for, secrets
redacted.

`--no-color` holds for the whole run; `main` resets it before each run.
"""

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
        click.echo(redact_secrets(text), file=self.stream, color=self.color)

    def error(self, text: str) -> None:
        prefix = self.style("error:", fg="red", bold=True)
        body = text[len("error: ") :] if text.startswith("error: ") else text
        click.echo(f"{prefix} {redact_secrets(body)}", file=self.stream, color=self.color)
