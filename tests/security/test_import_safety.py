"""`import` against live names a user (or an attacker with UI access) chose: it never replaces
the project file or a file it did not write, and never prints a control character."""

from __future__ import annotations

from pathlib import Path

from smartlead_sync.localstate import EMULATOR_ACCOUNT, state_dir
from tests.gitops.ui_campaigns import ui_account, ui_session
from tests.security.harness import Workspace

PROJECT_TEXT = "settings:\n  rate_limit_profile: pro\n"


def _live(ws: Workspace, *names: str) -> None:
    """Campaigns made in the (emulated) UI of the account `--emulator` uses."""
    with (
        ui_account(state_dir(ws.project) / EMULATOR_ACCOUNT) as emulator,
        ui_session(emulator) as ui,
    ):
        for name in names:
            ui.create(name)


def test_a_live_campaign_named_smartlead_sync_never_replaces_the_project_file(
    ws: Workspace,
) -> None:
    _live(ws, "smartlead-sync")
    code, out, err = ws.run("import", "campaigns", "--emulator", "--force")
    assert code == 0, err
    assert (ws.project / "smartlead-sync.yaml").read_text() == PROJECT_TEXT
    (written,) = [p.name for p in ws.project.glob("smartlead-sync-*.yaml")]
    assert f"wrote campaigns/{written}" in out


def test_force_refuses_a_file_import_did_not_write_and_names_it(ws: Workspace) -> None:
    _live(ws, "Q3 Founders")
    mine = ws.write("q3-founders.yaml", "name: Something else\nstatus: drafted\n")
    code, _, err = ws.run("import", "campaigns", "--emulator", "--force")
    assert code == 1
    assert f"{Path('campaigns') / 'q3-founders.yaml'}" in err
    assert "did not write" in err
    assert mine.read_text() == "name: Something else\nstatus: drafted\n"


def test_reimport_with_force_replaces_what_import_wrote(ws: Workspace) -> None:
    _live(ws, "Q3 Founders")
    assert ws.run("import", "campaigns", "--emulator")[0] == 0
    again = ws.run("import", "campaigns", "--emulator", "--force")
    assert again[0] == 0, again[2]


def test_live_names_with_escape_sequences_are_never_printed_raw(ws: Workspace) -> None:
    hostile = "\x1b]0;owned\x07\x1b[2J\x1b[31mRed"
    _live(ws, hostile)
    code, out, err = ws.run("import", "campaigns", "--emulator")
    assert code == 0, err
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\x1b[2J" in out + err
    assert "control characters" in out
