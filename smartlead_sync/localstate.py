"""The one local folder of a project: caches and coordination, never needed for correctness.

It sits beside the project file (`<project>/.smartlead-sync/`), wherever the command is run
from, and holds the embedded emulator's account, the apply journal, the rate limiter's recent
calls per account, the learned lead-batch cap and the local lock. Losing it loses nothing that
Smartlead or git does not hold. The folder ignores itself (its own `.gitignore` says `*`), so
in a user's repository `git status` never lists what is in it.
"""

from __future__ import annotations

from pathlib import Path

from smartlead_sync.desired.layout import project_of

STATE_DIR_NAME = ".smartlead-sync"

# The files in the folder, one name per fact.
EMULATOR_ACCOUNT = "emulator.sqlite3"
APPLY_JOURNAL = "apply.journal.jsonl"
APPLY_LOCK = "apply.lock"
RATE_BUDGET_PREFIX = "ratelimit-"  # + a digest of the account's base URL and key, + .json

_SELF_IGNORE = "# smartlead-sync local state: caches and coordination, never committed\n*\n"


def project_root(path: Path) -> Path:
    """The project directory a command's PATH argument names (a directory or a campaign file)."""
    if path.is_file():
        root, _rel = project_of(path)
        return root
    return path


def state_dir(project_root: Path) -> Path:
    """The local state folder of the project whose directory is `project_root` (not created)."""
    return project_root / STATE_DIR_NAME


def state_file(project_root: Path, name: str) -> Path:
    """A file in the project's local state folder; the folder is created on first use, with a
    `.gitignore` that keeps it and everything in it out of git."""
    folder = state_dir(project_root)
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(_SELF_IGNORE, encoding="utf-8")
    return folder / name
