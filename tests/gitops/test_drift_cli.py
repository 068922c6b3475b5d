"""`plan --drift-base REF` as CI runs it: a git repository of imported campaigns, one change in
the (emulated) UI, one in the files."""

from __future__ import annotations

import subprocess
from pathlib import Path

from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.localstate import EMULATOR_ACCOUNT, state_dir
from tests.gitops.conftest import RunMain
from tests.gitops.ui_campaigns import click_campaigns, ui_account


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)


def test_plan_tells_ui_changes_from_repository_changes(run_main: RunMain, tmp_path: Path) -> None:
    state = state_dir(tmp_path / "campaigns") / EMULATOR_ACCOUNT
    with ui_account(state) as emulator:
        ids = click_campaigns(emulator)
    assert run_main("import", "--emulator", cwd=tmp_path).returncode == 0
    for args in (("init", "-q"), ("add", "-A")):
        _git(tmp_path, *args)
    _git(
        tmp_path,
        "-c",
        "user.name=Dev",
        "-c",
        "user.email=dev@example.com",
        "commit",
        "-qm",
        "import",
    )

    emulator = Emulator(EmulatorConfig(), state_path=state)
    emulator.set_campaign_status(ids["Q3 Founders Outreach"], "PAUSED")  # clicked in the UI
    emulator.close()
    cfos = tmp_path / "campaigns" / "clients" / "4013" / "saas-cfos-acme-agency.yaml"
    cfos.write_text(cfos.read_text().replace("Month-end close", "Quarter-end close"))

    text = run_main(
        "plan", "--emulator", "--drift-base", "HEAD", "--detailed-exitcode", cwd=tmp_path
    )
    assert text.returncode == 2, text.stderr
    section = text.stdout[text.stdout.index("Where the changes come from") :]
    smartlead, repository = section.split("Changed in the repository")
    assert 'Q3 Founders Outreach: status: "paused" -> "active"' in smartlead
    assert "SaaS CFOs (Acme Agency): sequence step 1.subject" in repository

    markdown = run_main(
        "plan", "--emulator", "--drift-base", "HEAD", "--format", "markdown", cwd=tmp_path
    )
    assert markdown.returncode == 0, markdown.stderr
    assert "**Changed in Smartlead, outside the repository** (applying this plan undoes it):" in (
        markdown.stdout
    )

    unknown = run_main("plan", "--emulator", "--drift-base", "no-such-ref", cwd=tmp_path)
    assert unknown.returncode == 1
    assert "unknown git commit 'no-such-ref'" in unknown.stderr
    assert "Traceback" not in unknown.stderr
