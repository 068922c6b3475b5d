"""A faithful local Smartlead API v1 (smartlead-api.md §13): embedded default and test double.

emulator = Emulator()                                  # in-memory account
client = httpx.Client(transport=emulator.transport(), base_url=TRANSPORT_BASE_URL)
with emulator.serve() as server:                       # real HTTP on loopback
    httpx.get(f"{server.base_url}/campaigns", params={"api_key": EMULATOR_API_KEY})
"""

from __future__ import annotations

from pathlib import Path

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

EMBEDDED_STATE_DIR = ".smartlead-emulator"  # git-ignored


def embedded_state_path(project_root: Path) -> Path:
    """Where `--emulator` keeps its account, so successive commands see the same state."""
    return project_root / EMBEDDED_STATE_DIR / "state.sqlite3"


__all__ = [
    "DEFAULT_CATEGORIES",
    "EMBEDDED_STATE_DIR",
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
    "embedded_state_path",
    "faults_from_mapping",
]
