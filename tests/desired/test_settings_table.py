"""The campaign settings table is the one description of a setting: the README shows it."""

from __future__ import annotations

import os

from smartlead_sync.desired.reference import settings_table_rows
from tests.cli_process import REPO_ROOT


def _current_rows(readme: str) -> str:
    """The first run of `settings.` rows: those of the campaign key table."""
    lines = readme.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("| `settings."))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("| `settings."))
    return "".join(lines[start:end])


def test_readme_settings_rows_are_the_table() -> None:
    readme = REPO_ROOT / "README.md"
    text = readme.read_text()
    rows = settings_table_rows()
    if os.environ.get("SMARTLEAD_UPDATE_GOLDEN"):
        readme.write_text(text.replace(_current_rows(text), rows, 1))
        text = readme.read_text()
    assert rows.count("\n") > 10
    assert _current_rows(text) == rows, (
        "README settings rows are stale: SMARTLEAD_UPDATE_GOLDEN=1 python -m pytest "
        "tests/desired/test_settings_table.py"
    )
