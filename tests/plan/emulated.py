"""The emulator behind the real client and provider, for plan tests (in-process by default)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import SecretStr

from smartlead_sync.emulator import EMULATOR_API_KEY, TRANSPORT_BASE_URL, Emulator, EmulatorConfig
from smartlead_sync.settings import Connection, ToolSettings
from smartlead_sync.smartlead.client import SmartleadClient
from smartlead_sync.smartlead.provider import SmartleadProvider

TIME_SCALE = 1000.0  # a minute of rate limit in 60 ms: the tests are not about pacing


def new_emulator() -> Emulator:
    return Emulator(EmulatorConfig(time_scale=TIME_SCALE))


@contextmanager
def provider_on(
    emulator: Emulator, tool: ToolSettings | None = None
) -> Iterator[SmartleadProvider]:
    limits = (tool or ToolSettings()).rate_limits.scaled(TIME_SCALE)
    connection = Connection(api_key=SecretStr(EMULATOR_API_KEY), base_url=TRANSPORT_BASE_URL)
    with SmartleadClient(connection, limits=limits, transport=emulator.transport()) as client:
        yield SmartleadProvider(client)
