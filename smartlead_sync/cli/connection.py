"""Connection flags shared by plan, apply and import, and the factory that opens a provider.

A command decorated with `@connection_options` receives one `connection: ConnectionOptions`
keyword argument and opens the account with `with open_provider(connection, tool) as provider:`.
The API key is registered as a secret the moment click reads it, so nothing printed can show it.
"""

from __future__ import annotations

import functools
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click
from click.core import ParameterSource

from smartlead_sync.cli.files import output_option
from smartlead_sync.cli.options import DEFAULT_PROJECT
from smartlead_sync.cli.output import Console
from smartlead_sync.errors import ConfigError
from smartlead_sync.localstate import EMULATOR_ACCOUNT, STATE_DIR_NAME, state_file
from smartlead_sync.redaction import Secret, register_secret
from smartlead_sync.settings import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT_SECONDS,
    MAX_DEADLINE_SECONDS,
    MAX_TIMEOUT_SECONDS,
    Connection,
    ToolSettings,
)
from smartlead_sync.smartlead.client import RetryPolicy, SmartleadClient
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.smartlead.shared_budget import SharedCalls, account_digest, budget_file

EMULATOR_TIME_SCALE = 60.0  # a minute of rate limit per second, on both sides

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


_OPTIONS = (
    click.option(
        "--deadline",
        envvar="SMARTLEAD_DEADLINE",
        type=click.FloatRange(min=0, min_open=True, max=MAX_DEADLINE_SECONDS),
        metavar="SECONDS",
        help="Stop starting API calls (and retries) after this many seconds in all; a plan or "
        "apply that runs out fails naming the call [env: SMARTLEAD_DEADLINE; project "
        "setting deadline_seconds; default: none].",
    ),
    click.option(
        "--timeout",
        envvar="SMARTLEAD_TIMEOUT",
        type=click.FloatRange(min=0, min_open=True, max=MAX_TIMEOUT_SECONDS),
        metavar="SECONDS",
        help="Wait this long for each API answer before it counts as failed (and is retried "
        "where safe) [env: SMARTLEAD_TIMEOUT; project setting timeout_seconds; default: 30].",
    ),
    click.option("--time-scale", type=click.FloatRange(min=1.0), default=1.0, hidden=True),
    output_option(
        "--log-http",
        help="Append one JSON line per API call (route, status, timing; no key, no lead data).",
    ),
    click.option(
        "--emulator",
        is_flag=True,
        help=f"Use the embedded Smartlead emulator (its account is kept in the project's "
        f"{STATE_DIR_NAME}/ folder).",
    ),
    click.option(
        "--base-url",
        envvar="SMARTLEAD_BASE_URL",
        default=DEFAULT_BASE_URL,
        show_default=True,
        callback=_check_base_url,
        help="Smartlead API base URL [env: SMARTLEAD_BASE_URL].",
    ),
    click.option(
        "--api-key",
        envvar="SMARTLEAD_API_KEY",
        callback=_secret_key,
        show_default=False,
        metavar="KEY",
        help="Smartlead API key [env: SMARTLEAD_API_KEY]; prefer the variable over the flag.",
    ),
)


def connection_options(f: F) -> F:
    """Add --api-key, --base-url, --emulator, --log-http, --timeout and --deadline; pass them
    as `connection=`."""

    @functools.wraps(f)
    def wrapper(
        *args: Any,
        api_key: Secret | None,
        base_url: str,
        emulator: bool,
        log_http: Path | None,
        time_scale: float,
        timeout: float | None,
        deadline: float | None,
        **kwargs: Any,
    ) -> Any:
        if emulator:
            _refuse_flags_beside_emulator(click.get_current_context())
        options = ConnectionOptions(
            api_key, base_url, emulator, log_http, time_scale, timeout, deadline
        )
        return f(*args, connection=options, **kwargs)

    wrapped: Callable[..., Any] = wrapper
    for decorate in _OPTIONS:
        wrapped = decorate(wrapped)
    return wrapped  # type: ignore[return-value]


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


@contextmanager
def open_provider(
    options: ConnectionOptions,
    tool: ToolSettings,
    *,
    project_root: Path,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[SmartleadProvider]:
    """A provider on the real API, or on the embedded emulator with `--emulator`.

    `project_root` is the project directory, whose local state folder holds the emulator's
    account and the key's rate budget shared with the other processes on this machine;
    `sleep` is what the client waits with (apply makes it interruptible by Ctrl-C); the hidden
    `--time-scale` compresses limits and backoff for an emulator served at that scale (tests).
    """
    time_scale = options.time_scale
    if options.emulator:
        with _emulator_client(options, tool, sleep, project_root) as client:
            yield SmartleadProvider(client)
        return
    if options.api_key is None or not options.api_key.get_secret_value():
        raise ConfigError(
            "no Smartlead API key",
            hint="set SMARTLEAD_API_KEY (or pass --api-key), or add --emulator to try "
            "against the embedded emulator",
        )
    connection = Connection(options.api_key, options.base_url, *_timing(options, tool))
    peers = SharedCalls(budget_file(project_root, options.api_key, options.base_url))
    with SmartleadClient(
        connection,
        limits=tool.rate_limits.scaled(time_scale),
        retry=RetryPolicy().scaled(time_scale),
        sleep=sleep,
        http_log=options.log_http,
        notify=_notice,
        peers=peers,
    ) as client:
        yield SmartleadProvider(client)


def account_of(options: ConnectionOptions) -> str:
    """The digest that names this account's local files (refused leads, rate budget)."""
    if options.emulator or options.api_key is None:
        return "emulator"
    return account_digest(options.api_key, options.base_url)


def _timing(options: ConnectionOptions, tool: ToolSettings) -> tuple[float, float | None]:
    """(read timeout, overall deadline): a flag or variable wins over the project file."""
    timeout = options.timeout or tool.timeout_seconds or DEFAULT_TIMEOUT_SECONDS
    return timeout, options.deadline or tool.deadline_seconds


def _notice(text: str) -> None:
    """A retry notice on stderr; on a terminal it first clears a progress line being redrawn."""
    clear = "\r\x1b[K" if sys.stderr.isatty() else ""
    Console.for_stderr().print(f"{clear}note: {text}")


@contextmanager
def _emulator_client(
    options: ConnectionOptions,
    tool: ToolSettings,
    sleep: Callable[[float], None],
    project_root: Path,
) -> Iterator[SmartleadClient]:
    """The client on the in-process emulator, its limits compressed by the same time scale.

    The account persists in the project's local state folder, so successive commands (from any
    directory) see the same campaigns."""
    # Imported here: loading the emulator is start-up time every command against the real API
    # would pay for nothing.
    from smartlead_sync.emulator import (
        EMULATOR_API_KEY,
        TRANSPORT_BASE_URL,
        Emulator,
        EmulatorConfig,
    )

    state = state_file(project_root, EMULATOR_ACCOUNT)
    Console.for_stderr().print(f"using the embedded emulator (account in {state})")
    emulator = Emulator(EmulatorConfig(time_scale=EMULATOR_TIME_SCALE), state_path=state)
    connection = Connection(Secret(EMULATOR_API_KEY), TRANSPORT_BASE_URL, *_timing(options, tool))
    try:
        with SmartleadClient(
            connection,
            limits=tool.rate_limits.scaled(EMULATOR_TIME_SCALE),
            transport=emulator.transport(),
            retry=RetryPolicy().scaled(EMULATOR_TIME_SCALE),
            sleep=sleep,
            http_log=options.log_http,
            notify=_notice,
        ) as client:
            yield client
    finally:
        emulator.close()
