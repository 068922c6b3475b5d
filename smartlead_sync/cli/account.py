"""Opening the account the connection flags name (the real API, or the embedded emulator),
and what the commands that talk to Smartlead do with it alike: open it for the checked files,
match the files' campaigns to live ones, plan against it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from smartlead_sync.cli.connection import ConnectionOptions
from smartlead_sync.cli.context import CliContext
from smartlead_sync.cli.memory import long_lived
from smartlead_sync.cli.options import load_checked, progress_printer
from smartlead_sync.cli.output import Console
from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.errors import ConfigError, InputError
from smartlead_sync.localstate import EMULATOR_ACCOUNT, SQLITE_SIDECARS, state_file
from smartlead_sync.plan.identity import Match, resolve_identities
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.planning import Touched, make_plan
from smartlead_sync.plan.refusals import Refusals
from smartlead_sync.redaction import Secret
from smartlead_sync.smartlead.client import RetryPolicy, SmartleadClient
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.smartlead.shared_budget import SharedCalls, account_digest, budget_file
from smartlead_sync.tool_settings import DEFAULT_TIMEOUT_SECONDS, Connection, ToolSettings

EMULATOR_TIME_SCALE = 60.0  # a minute of rate limit per second, on both sides


@contextmanager
def open_provider(
    options: ConnectionOptions,
    tool: ToolSettings,
    *,
    project_root: Path,
    sleep: Callable[[float], None] = time.sleep,
    notices: Console | None = None,
) -> Iterator[SmartleadProvider]:
    """A provider on the real API, or on the embedded emulator with `--emulator`.

    `project_root` is the project directory, whose local state folder holds the emulator's
    account and the key's rate budget shared with the other processes on this machine;
    `sleep` is what the client waits with (apply makes it interruptible by Ctrl-C); the hidden
    `--time-scale` compresses limits and backoff for an emulator served at that scale (tests);
    `notices` (the run's stderr console, else one of its own) shows retries and the emulator.
    """
    notices = notices or CliContext().stderr
    time_scale = options.time_scale
    if options.emulator:
        with _emulator_client(options, tool, sleep, project_root, notices) as client:
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
        notify=_notifier(notices),
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


def _notifier(console: Console) -> Callable[[str], None]:
    """Retry notices on `console`; on a terminal each first clears a progress line being redrawn."""

    def notice(text: str) -> None:
        clear = "\r\x1b[K" if console.stream.isatty() else ""
        console.print(f"{clear}note: {text}")

    return notice


@contextmanager
def _emulator_client(
    options: ConnectionOptions,
    tool: ToolSettings,
    sleep: Callable[[float], None],
    project_root: Path,
    notices: Console,
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

    state = state_file(project_root, EMULATOR_ACCOUNT, sidecars=SQLITE_SIDECARS)
    notices.print(f"using the embedded emulator (account in {state})")
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
            notify=_notifier(notices),
        ) as client:
            yield client
    finally:
        emulator.close()


@contextmanager
def opened_project(
    run: CliContext, path: Path, campaigns: tuple[str, ...], connection: ConnectionOptions
) -> Iterator[tuple[DesiredProject, SmartleadProvider]]:
    """The checked files (`load_checked`) and the account they name, open for the block."""
    project = load_checked(path, campaigns, run.stderr)
    with open_provider(
        connection, project.tool, project_root=project.root, notices=run.stderr
    ) as provider:
        yield project, provider


def matched_campaigns(
    project: DesiredProject, provider: SmartleadProvider, *, refused: str
) -> tuple[Match, ...]:
    """Each declared campaign with its live one; a campaign that matches none, or several,
    stops the command with `refused` ("the guards cannot be checked")."""
    resolution = resolve_identities(project.campaigns, provider.list_campaigns())
    if resolution.problems:
        raise InputError(list(resolution.problems), refused)
    return resolution.matches


def live_plan(
    run: CliContext,
    provider: SmartleadProvider,
    project: DesiredProject,
    *,
    refused: Refusals | None,
    touched: Touched | None = None,
) -> Plan:
    """The plan for `project` against the account, with progress on stderr; the `refused`
    leads (None with `--retry-refused`) are listed, not planned. The live state read lasts as
    long as the command (memory.py)."""
    with long_lived():
        return make_plan(
            provider,
            project.campaigns,
            project.tool,
            progress=progress_printer(run.stderr),
            refused=refused,
            touched=touched,
        )
