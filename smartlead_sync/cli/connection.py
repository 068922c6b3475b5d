"""Connection flags shared by the commands that talk to Smartlead.

A command decorated with `@connection_options` receives one `connection: ConnectionOptions`
keyword argument and opens the account with `cli.account.open_provider`. The API key is
registered as a secret the moment click reads it, so nothing printed can show it.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click
from click.core import ParameterSource

from smartlead_sync.cli.files import OUTPUT_FILE, check_output_file
from smartlead_sync.cli.options import DEFAULT_PROJECT
from smartlead_sync.localstate import STATE_DIR_NAME
from smartlead_sync.redaction import Secret, register_secret
from smartlead_sync.tool_settings import (
    DEFAULT_BASE_URL,
    MAX_DEADLINE_SECONDS,
    MAX_TIMEOUT_SECONDS,
)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ConnectionOptions:
    """What the connection flags said. `api_key` is secret: never format it into text."""

    api_key: Secret | None = None
    base_url: str = DEFAULT_BASE_URL
    emulator: bool = False
    log_http: Path | None = None
    time_scale: float = 1.0  # tests: an emulator served with compressed time
    timeout: float | None = None  # None: the project file's setting, else the default
    deadline: float | None = None

    def __repr__(self) -> str:
        key = "set" if self.api_key else "unset"
        return (
            f"ConnectionOptions(api_key={key}, base_url={self.base_url!r}, "
            f"emulator={self.emulator})"
        )


def _secret_key(ctx: click.Context, param: click.Parameter, value: str | None) -> Secret | None:
    if not value or not value.strip():
        return None
    key = value.strip()  # a key pasted with a newline or spaces: what is sent is what is hidden
    register_secret(value)
    return Secret(key)


def _check_base_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise click.BadParameter("must start with https:// (or http:// for a local emulator)")
    if "?" in value or "#" in value:
        raise click.BadParameter(
            "must not carry a query string; pass the key with SMARTLEAD_API_KEY or --api-key"
        )
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - parsing the port is what refuses a malformed one
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a valid URL ({exc})") from None
    if not parts.hostname or any(c.isspace() or ord(c) < 32 for c in value):
        raise click.BadParameter(f"{value!r} is not a valid URL (no host, or a space in it)")
    return value.rstrip("/")


_KEPT = "smartlead_sync.connection_flags"  # ctx.meta key: the flags read so far
Check = Callable[[click.Context, click.Parameter, Any], Any]


def _flag(*names: str, check: Check | None = None, **attrs: Any) -> Callable[[F], F]:
    """A connection flag: its value, checked by `check`, is kept for the `connection` argument
    instead of being passed to the command on its own."""

    def keep(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        value = check(ctx, param, value) if check else value
        ctx.meta.setdefault(_KEPT, {})[param.name] = value
        return value

    return click.option(*names, expose_value=False, callback=keep, **attrs)


_OPTIONS = (
    _flag(
        "--deadline",
        envvar="SMARTLEAD_DEADLINE",
        type=click.FloatRange(min=0, min_open=True, max=MAX_DEADLINE_SECONDS),
        metavar="SECONDS",
        help="Stop starting API calls (and retries) after this many seconds in all; a plan or "
        "apply that runs out fails naming the call [env: SMARTLEAD_DEADLINE; project "
        "setting deadline_seconds; default: none].",
    ),
    _flag(
        "--timeout",
        envvar="SMARTLEAD_TIMEOUT",
        type=click.FloatRange(min=0, min_open=True, max=MAX_TIMEOUT_SECONDS),
        metavar="SECONDS",
        help="Wait this long for each API answer before it counts as failed (and is retried "
        "where safe) [env: SMARTLEAD_TIMEOUT; project setting timeout_seconds; default: 30].",
    ),
    _flag("--time-scale", type=click.FloatRange(min=1.0), default=1.0, hidden=True),
    _flag(
        "--log-http",
        type=OUTPUT_FILE,
        check=check_output_file,
        help="Append one JSON line per API call (route, status, timing; no key, no lead data).",
    ),
    _flag(
        "--emulator",
        is_flag=True,
        help=f"Use the embedded Smartlead emulator (its account is kept in the project's "
        f"{STATE_DIR_NAME}/ folder).",
    ),
    _flag(
        "--base-url",
        envvar="SMARTLEAD_BASE_URL",
        default=DEFAULT_BASE_URL,
        show_default=True,
        help="Smartlead API base URL [env: SMARTLEAD_BASE_URL].",
    ),
    _flag(
        "--api-key",
        envvar="SMARTLEAD_API_KEY",
        check=_secret_key,
        show_default=False,
        metavar="KEY",
        help="Smartlead API key [env: SMARTLEAD_API_KEY]; prefer the variable over the flag.",
    ),
)


class _ConnectionParameter(click.Parameter):
    """A parameter that reads nothing from the command line: its value is what its callback
    makes of the parameters processed before it."""

    def _parse_decls(
        self, decls: Sequence[str], expose_value: bool
    ) -> tuple[str, list[str], list[str]]:
        return decls[0], [], []

    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        """Nothing on the command line is its own."""


def _gathered(ctx: click.Context, param: click.Parameter, value: None) -> ConnectionOptions:
    """The connection flags kept so far, as one `ConnectionOptions`.

    Declared after the flags and never given, the `connection` parameter is processed after
    them: click processes the parameters not given on the command line in declaration order."""
    flags = ctx.meta.pop(_KEPT)
    if flags["emulator"]:
        # The contradiction comes first, whatever the URL looks like; a SMARTLEAD_BASE_URL left
        # set for other runs is not used by the emulator, so it is not checked either.
        _refuse_flags_beside_emulator(ctx)
        flags["base_url"] = DEFAULT_BASE_URL
    else:
        base_url = next(p for p in ctx.command.params if p.name == "base_url")
        try:
            flags["base_url"] = _check_base_url(ctx, base_url, flags["base_url"])
        except click.BadParameter as exc:
            exc.param = base_url  # named as the flag, not as this gathering parameter
            raise
    return ConnectionOptions(**flags)


def connection_options(f: F) -> F:
    """Add --api-key, --base-url, --emulator, --log-http, --timeout and --deadline; pass them
    as `connection=`."""
    f = _attach(f, _ConnectionParameter(["connection"], callback=_gathered))
    for decorate in _OPTIONS:
        f = decorate(f)
    return f


def _attach(f: F, param: click.Parameter) -> F:
    """Declare `param` on the command that `f` becomes, as click's own decorators do."""
    params: list[click.Parameter] = f.__dict__.setdefault("__click_params__", [])
    params.append(param)
    return f


def _refuse_flags_beside_emulator(ctx: click.Context) -> None:
    """`--emulator` with `--base-url` or `--api-key` on the command line is a contradiction: one
    of them would be silently ignored. (The environment variables may stay set.)"""
    given = [
        f"--{name.replace('_', '-')}"
        for name in ("base_url", "api_key")
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
    ]
    if given:
        raise click.UsageError(
            f"--emulator cannot be combined with {' or '.join(given)}: use the embedded "
            "emulator, or connect to the API at a URL with a key, not both",
            ctx=ctx,
        )


def suggested_command(verb: str, path: Path, options: ConnectionOptions, *extra: str) -> str:
    """A `smartlead-sync` command line to suggest in a hint, keeping the project path and the
    connection flags in use (never the key, which belongs in SMARTLEAD_API_KEY)."""
    words = ["smartlead-sync", verb]
    if path != DEFAULT_PROJECT:
        words.append(str(path))
    if options.emulator:
        words.append("--emulator")
    elif options.base_url != DEFAULT_BASE_URL:
        words += ["--base-url", options.base_url]
    words += extra
    return "`" + " ".join(shlex.quote(word) for word in words) + "`"
