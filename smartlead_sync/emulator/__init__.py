"""A faithful local Smartlead API v1 (smartlead-api.md §13): embedded default and test double.

emulator = Emulator()                                  # in-memory account
client = httpx.Client(transport=emulator.transport(), base_url=TRANSPORT_BASE_URL)
with emulator.serve() as server:                       # real HTTP on loopback
    httpx.get(f"{server.base_url}/campaigns", params={"api_key": EMULATOR_API_KEY})
"""

from __future__ import annotations

from smartlead_sync.emulator.app import Emulator
from smartlead_sync.emulator.config import (
    EMULATOR_API_KEY,
    EmulatorConfig,
    Faults,
    config_from_mapping,
    faults_from_mapping,
)
from smartlead_sync.emulator.seed import DEFAULT_CATEGORIES, SEEDED_MAILBOXES
from smartlead_sync.emulator.server import RunningServer
from smartlead_sync.emulator.stats import EmulatorStats, RequestLogEntry
from smartlead_sync.emulator.transport import TRANSPORT_BASE_URL
from smartlead_sync.emulator.ui import UnknownObject

__all__ = [
    "DEFAULT_CATEGORIES",
    "EMULATOR_API_KEY",
    "SEEDED_MAILBOXES",
    "TRANSPORT_BASE_URL",
    "Emulator",
    "EmulatorConfig",
    "EmulatorStats",
    "Faults",
    "RequestLogEntry",
    "RunningServer",
    "UnknownObject",
    "config_from_mapping",
    "faults_from_mapping",
]
