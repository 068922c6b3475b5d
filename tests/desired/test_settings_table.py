"""The campaign settings table is the one description of a setting: the README shows it."""

from __future__ import annotations

from smartlead_sync.desired.reference import settings_table_rows
from tests.cli_process import REPO_ROOT


def test_readme_settings_rows_are_the_table() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    rows = settings_table_rows()
    assert rows.count("\n") > 10
    assert rows in readme, (
        "README settings rows differ from desired.reference.settings_table_rows()"
    )
