"""Clients wired to a real emulator, in process or over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import SecretStr

from smartlead_sync.emulator import EMULATOR_API_KEY, TRANSPORT_BASE_URL, Emulator, EmulatorConfig
from smartlead_sync.settings import RATE_LIMIT_PROFILES, Connection, RateLimits
from smartlead_sync.smartlead.client import RetryPolicy, SmartleadClient
from smartlead_sync.smartlead.provider import SmartleadProvider

STRICT = RATE_LIMIT_PROFILES["strict"]


def client_for(
    base_url: str,
    *,
    limits: RateLimits,
    time_scale: float,
    key: str = EMULATOR_API_KEY,
    timeout: float = 10.0,
    http_log: Path | None = None,
    transport: object = None,
) -> SmartleadClient:
    """A client whose limits and backoff are compressed by the emulator's time scale."""
    return SmartleadClient(
        Connection(api_key=SecretStr(key), base_url=base_url, timeout_seconds=timeout),
        limits=limits.scaled(time_scale),
        retry=RetryPolicy().scaled(time_scale),
        http_log=http_log,
        transport=transport,  # type: ignore[arg-type]
    )


@contextmanager
def served(
    config: EmulatorConfig, *, client_limits: RateLimits | None = None, **kwargs: object
) -> Iterator[tuple[Emulator, SmartleadProvider]]:
    """An emulator on loopback HTTP and a provider talking to it."""
    emulator = Emulator(config)
    server = emulator.serve()
    client = client_for(
        server.base_url,
        limits=client_limits or config.rate_limits,
        time_scale=config.time_scale,
        **kwargs,  # type: ignore[arg-type]
    )
    try:
        yield emulator, SmartleadProvider(client)
    finally:
        client.close()
        emulator.close()


@contextmanager
def in_process(config: EmulatorConfig) -> Iterator[tuple[Emulator, SmartleadProvider]]:
    emulator = Emulator(config)
    client = client_for(
        TRANSPORT_BASE_URL,
        limits=config.rate_limits,
        time_scale=config.time_scale,
        transport=emulator.transport(),
    )
    try:
        yield emulator, SmartleadProvider(client)
    finally:
        client.close()
        emulator.close()
