"""CLI commands: `emulator serve`, a local Smartlead API on loopback."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from types import FrameType
from typing import Any

import click
import yaml

from smartlead_sync.cli.lazy import LazyGroup
from smartlead_sync.errors import ConfigError
from smartlead_sync.redaction import allow_public


@click.group(name="emulator", cls=LazyGroup, lazy={})  # for its messages: nothing is lazy
def emulator_group() -> None:
    """A local Smartlead API v1 for trying the tool and for tests (no account needed)."""


@emulator_group.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite file that keeps the account across restarts (default: in memory).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML or JSON file of emulator settings (see README, The emulator).",
)
@click.option(
    "--time-scale",
    type=click.FloatRange(min=0, min_open=True),
    help="Run rate-limit windows faster: 60 = a minute passes in a second.",
)
def serve(
    host: str,
    port: int,
    state_file: Path | None,
    config_file: Path | None,
    time_scale: float | None,
) -> None:
    """Serve the emulator over HTTP until Ctrl-C."""
    from smartlead_sync.emulator import Emulator

    config = _load_config(config_file, time_scale)
    emulator = Emulator(config, state_path=state_file)
    try:
        server = emulator.serve(host, port)
    except OSError as exc:
        emulator.close()
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="pick another port with --port (0 = any free port)",
        ) from None
    key = config.api_keys[0] if config.api_keys else "<none configured>"
    # The emulator's key is a documented local constant, not a Smartlead secret: print it as is.
    for configured in config.api_keys:
        allow_public(configured)
    # Listening from here on: a Ctrl-C as soon as the banner shows is a clean stop too.
    try:
        click.echo(f"Smartlead emulator listening on {server.base_url}")
        click.echo(f"API key: {key}")
        click.echo(f"State: {state_file or 'in memory (lost on exit)'}")
        click.echo(f"Try:   curl '{server.base_url}/campaigns?api_key={key}'")
        click.echo("Press Ctrl-C to stop.", err=True)
        signal.signal(signal.SIGTERM, _interrupt)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.close()
    click.echo("emulator stopped", err=True)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


CONFIG_FILE_CAP = 8 * 1024 * 1024  # a settings file; anything larger is not one


def _load_config(path: Path | None, time_scale: float | None) -> Any:
    from smartlead_sync.cli.files import read_regular_file
    from smartlead_sync.emulator import EmulatorConfig, config_from_mapping

    data: dict[str, Any] = {}
    if path is not None:
        try:
            text = read_regular_file(path, CONFIG_FILE_CAP).decode("utf-8")
            loaded = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except OSError as exc:  # the reason only: the path is named once, here
            raise ConfigError(f"{path}: cannot read emulator config: {exc.strerror}") from None
        except (ValueError, yaml.YAMLError) as exc:
            raise ConfigError(f"{path}: cannot read emulator config: {exc}") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"{path}: the emulator config must be a mapping of settings")
        data = dict(loaded or {})
    if time_scale is not None:
        data["time_scale"] = time_scale
    try:
        return config_from_mapping(data) if data else EmulatorConfig()
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{path or '--time-scale'}: {exc}") from None


COMMANDS: list[click.Command] = [emulator_group]
