"""Fixtures for apply tests: an in-process emulator whose limits never make a test wait, and a
provider on its transport."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from smartlead_sync.emulator import EMULATOR_API_KEY, TRANSPORT_BASE_URL, Emulator, EmulatorConfig
from smartlead_sync.settings import Bucket, Connection, RateLimits, Window
from smartlead_sync.smartlead.client import SmartleadClient
from smartlead_sync.smartlead.provider import SmartleadProvider


@pytest.fixture
def provider() -> Iterator[SmartleadProvider]:
    """A minute of the emulator's rate limits passes in a microsecond; the client's are huge."""
    emulator = Emulator(EmulatorConfig(time_scale=1e6))
    client = SmartleadClient(
        Connection(SecretStr(EMULATOR_API_KEY), TRANSPORT_BASE_URL),
        limits=RateLimits({Bucket.GLOBAL: (Window(1_000_000, 1),)}),
        transport=emulator.transport(),
    )
    yield SmartleadProvider(client)
    client.close()
    emulator.close()
