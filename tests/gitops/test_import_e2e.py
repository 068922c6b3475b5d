"""Adopting an existing account end to end: campaigns clicked in the (emulated) UI -> `import`
-> files that validate, hold no secret and plan to nothing -> an edit plans to exactly that
edit -> apply -> nothing left to plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smartlead_sync.localstate import EMULATOR_ACCOUNT, STATE_DIR_NAME, state_dir
from tests.conftest import RunCli
from tests.gitops.conftest import RunMain
from tests.gitops.ui_campaigns import LEAD_EMAILS, click_campaigns, ui_account


@pytest.fixture
def account(tmp_path: Path) -> Path:
    """A working directory whose `--emulator` account holds three hand-made campaigns."""
    with ui_account(state_dir(tmp_path / "campaigns") / EMULATOR_ACCOUNT) as emulator:
        click_campaigns(emulator)
    return tmp_path


def _all_text(directory: Path) -> str:
    """Every file import wrote (the emulator's account in the state folder is not one)."""
    written = (p for p in sorted(directory.rglob("*")) if STATE_DIR_NAME not in p.parts)
    return "\n".join(p.read_text() for p in written if p.is_file())


def test_import_writes_valid_files_without_secrets(run_cli: RunCli, account: Path) -> None:
    proc = run_cli("import", "--emulator", "campaigns", cwd=account)
    assert proc.returncode == 0, proc.stderr
    assert "Imported 3 campaigns into campaigns" in proc.stdout
    written = sorted(p.relative_to(account / "campaigns").as_posix()
                     for p in (account / "campaigns").rglob("*.yaml"))  # fmt: skip
    assert written == [
        "clients/4013/saas-cfos-acme-agency.yaml",
        "q3-founders-outreach.yaml",
        "re-engage-cold-2024.yaml",
    ]
    text = _all_text(account / "campaigns")
    assert "emulator-smtp" not in text  # the emulator's mailbox passwords (smartlead-api.md §6)
    assert "emulator-imap" not in text
    assert not any(email in text for email in LEAD_EMAILS)  # no leads without --with-leads
    validate = run_cli("validate", "campaigns", cwd=account)
    assert validate.returncode == 0, validate.stdout + validate.stderr


def test_import_with_leads_writes_them_to_csv(run_main: RunMain, account: Path) -> None:
    proc = run_main("import", "--emulator", "--with-leads", "--campaign", "Q3 Founders Outreach",
                   cwd=account)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    csv_text = (account / "campaigns" / "leads" / "q3-founders-outreach.csv").read_text()
    assert all(email in csv_text for email in LEAD_EMAILS)
    assert not (account / "campaigns" / "re-engage-cold-2024.yaml").exists()


def test_import_refuses_to_overwrite_without_force(run_main: RunMain, account: Path) -> None:
    assert run_main("import", "--emulator", cwd=account).returncode == 0
    edited = account / "campaigns" / "re-engage-cold-2024.yaml"
    edited.write_text(edited.read_text() + "# reviewed\n")
    again = run_main("import", "--emulator", cwd=account)
    assert again.returncode == 1
    assert "would overwrite" in again.stderr
    assert "Traceback" not in again.stderr
    assert edited.read_text().endswith("# reviewed\n")
    forced = run_main("import", "--emulator", "--force", cwd=account)
    assert forced.returncode == 0, forced.stderr
    assert not edited.read_text().endswith("# reviewed\n")


def test_import_of_an_unknown_campaign_fails_clearly(run_main: RunMain, account: Path) -> None:
    proc = run_main("import", "--emulator", "--campaign", "Q3 Founders", cwd=account)
    assert proc.returncode == 1
    assert "no live campaign is named or numbered 'Q3 Founders'" in proc.stderr
    assert "did you mean 'Q3 Founders Outreach'" in proc.stderr
    assert not list((account / "campaigns").glob("*.yaml"))  # the account is all it holds


def _field_changes(plan: dict[str, Any]) -> list[tuple[str, str, str, Any, Any]]:
    """Every field change of a JSON plan, the temporary pause around a sequence save left out."""
    return [
        (campaign["name"], change["kind"], field["path"], field["before"], field["after"])
        for campaign in plan["campaigns"]
        for change in campaign["changes"]
        if not (change["payload"] or {}).get("temporary")
        and not (change["payload"] or {}).get("restore")
        for field in change["fields"]
    ]


def test_import_plan_edit_apply_plan(run_cli: RunCli, account: Path) -> None:
    imported = run_cli("import", "--emulator", "--with-leads", cwd=account)
    assert imported.returncode == 0, imported.stderr
    first = run_cli("plan", "--emulator", "--detailed-exitcode", cwd=account)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "No changes" in first.stdout

    campaign_file = account / "campaigns" / "q3-founders-outreach.yaml"
    text = campaign_file.read_text()
    assert text.count("subject: Hiring SDRs at {{company_name}}?") == 1
    campaign_file.write_text(text.replace("Hiring SDRs at", "Still hiring SDRs at"))
    second = run_cli("plan", "--emulator", "--detailed-exitcode", "--format", "json", cwd=account)
    assert second.returncode == 2, second.stderr
    assert _field_changes(json.loads(second.stdout)) == [
        (
            "Q3 Founders Outreach",
            "save_sequence",
            "step 1.variant A.subject",
            "Hiring SDRs at {{company_name}}?",
            "Still hiring SDRs at {{company_name}}?",
        )
    ]

    saved = account / "plan.json"
    reviewed = run_cli("plan", "--emulator", "--out", str(saved), cwd=account)
    assert reviewed.returncode == 0, reviewed.stderr
    applied = run_cli("apply", "--emulator", "--plan", str(saved), cwd=account)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    after = run_cli("plan", "--emulator", "--detailed-exitcode", cwd=account)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "No changes" in after.stdout


def test_import_reports_what_it_wrote_as_json(run_main: RunMain, account: Path) -> None:
    args = ["--emulator", "--format", "json", "--campaign", "Q3 Founders Outreach"]
    proc = run_main("import", *args, cwd=account)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] is True
    assert report["campaign_files"] == ["campaigns/q3-founders-outreach.yaml"]
    assert set(report["campaign_files"]) <= set(report["files"])
    assert all((account / name).is_file() for name in report["files"])
    again = run_main("import", "--emulator", "--format", "json", cwd=account)
    failed = json.loads(again.stdout)  # would overwrite: an error, as JSON on stdout
    assert again.returncode == 1
    assert failed["ok"] is False and failed["error"]["exit_code"] == 1
    assert "would overwrite" in failed["error"]["message"]
