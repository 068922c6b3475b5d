"""Fixtures for apply tests: an in-memory emulator and a provider on its in-process transport."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from smartlead_sync.emulator import EMULATOR_API_KEY, TRANSPORT_BASE_URL, Emulator
from smartlead_sync.settings import Bucket, Connection, RateLimits, Window
from smartlead_sync.smartlead.client import SmartleadClient
from smartlead_sync.smartlead.provider import SmartleadProvider


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emulator = Emulator()
    yield emulator
    emulator.close()


def open_provider_on(emulator: Emulator) -> SmartleadProvider:
    """A provider on the emulator's transport with limits that never make a test wait."""
    client = SmartleadClient(
        Connection(SecretStr(EMULATOR_API_KEY), TRANSPORT_BASE_URL),
        limits=RateLimits({Bucket.GLOBAL: (Window(100_000, 1),)}),
        transport=emulator.transport(),
    )
    return SmartleadProvider(client)


@pytest.fixture
def provider(emulator: Emulator) -> Iterator[SmartleadProvider]:
    provider = open_provider_on(emulator)
    yield provider
    provider.client.close()
