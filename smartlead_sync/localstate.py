"""The one local folder of a project: caches and coordination, never needed for correctness.

It sits beside the project file (`<project>/.smartlead-sync/`), wherever the command is run
from, and holds the embedded emulator's account, the apply journal, the rate limiter's recent
calls per account, the learned lead-batch cap and the local lock. Losing it loses nothing that
Smartlead or git does not hold.
"""

from __future__ import annotations

from pathlib import Path

STATE_DIR_NAME = ".smartlead-sync"


def state_dir(project_root: Path) -> Path:
    """The local state folder of the project whose directory is `project_root` (not created)."""
    return project_root / STATE_DIR_NAME


def state_file(project_root: Path, name: str) -> Path:
    """A file in the project's local state folder; the folder is created on first use."""
    folder = state_dir(project_root)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
