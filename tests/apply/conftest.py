"""Fixtures for apply tests: an in-process emulator whose limits never make a test wait, and a
provider on its transport."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.smartlead.provider import SmartleadProvider
from tests.emulated import UNLIMITED, provider_on


@pytest.fixture
def provider() -> Iterator[SmartleadProvider]:
    """A minute of the emulator's rate limits passes in a microsecond; the client's are huge."""
    emulator = Emulator(EmulatorConfig(time_scale=1e6))
    with provider_on(emulator, UNLIMITED) as provider:
        yield provider
    emulator.close()
