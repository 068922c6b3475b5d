"""`import` against live texts that campaign files refuse (control characters, bidirectional
overrides): it never fails with an internal error and never writes a file that `validate`
refuses; what it leaves out it names, escaped. And what it writes plans no change."""

from __future__ import annotations

from smartlead_sync.localstate import EMULATOR_ACCOUNT, state_dir
from tests.gitops.ui_campaigns import ui_account, ui_session
from tests.security.harness import Workspace

HOSTILE_HOOK = "hook\x1b[2J\u202eX"


def _campaign(ws: Workspace, name: str, *, subject: str, body: str, hook: str) -> None:
    """A campaign made in the (emulated) UI: schedule, one step, one webhook."""
    with (
        ui_account(state_dir(ws.project) / EMULATOR_ACCOUNT) as emulator,
        ui_session(emulator) as ui,
    ):
        cid = ui.create(name)
        ui.call("POST", f"/campaigns/{cid}/schedule", {
            "timezone": "UTC", "days_of_the_week": [1, 2], "start_hour": "09:00",
            "end_hour": "17:30", "min_time_btw_emails": 10, "max_new_leads_per_day": 20,
        })  # fmt: skip
        ui.call("POST", f"/campaigns/{cid}/sequences", {"sequences": [
            {"seq_number": 1, "seq_delay_details": {"delay_in_days": 0},
             "subject": subject, "email_body": body},
        ]})  # fmt: skip
        ui.call("POST", f"/campaigns/{cid}/webhooks", {
            "id": None, "name": hook, "webhook_url": "https://hooks.example.com/x",
            "event_types": ["EMAIL_REPLY"], "categories": ["Interested"],
        })  # fmt: skip


def _import(ws: Workspace) -> tuple[str, str]:
    code, out, err = ws.run("import", "campaigns", "--emulator")
    assert code == 0, out + err
    assert "internal error" not in out + err
    assert "\x1b" not in out + err and "\u202e" not in out + err
    return out, err


def _validate_and_plan_show_nothing(ws: Workspace) -> None:
    code, out, err = ws.run("validate", "campaigns")
    assert code == 0, out + err
    assert " 0 error(s), 0 warning(s)" in out
    code, out, err = ws.run("plan", "campaigns", "--emulator", "--detailed-exitcode")
    assert code == 0, out + err


def test_a_webhook_named_with_control_characters_is_left_out_with_a_note(
    ws: Workspace,
) -> None:
    _campaign(ws, "Hooked", subject="Hi {{first_name}}", body="<p>Hello</p>", hook=HOSTILE_HOOK)
    out, _ = _import(ws)
    assert "wrote campaigns/hooked.yaml" in out
    note = next(line for line in out.splitlines() if "webhook" in line)
    assert "'Hooked'" in note and "hook\\x1b[2J\\u202eX" in note
    assert "control character" in note
    text = (ws.project / "hooked.yaml").read_text()
    assert "webhooks" not in text and "\x1b" not in text
    # Its webhooks are unmanaged: the first plan neither deletes nor recreates the live one.
    _validate_and_plan_show_nothing(ws)


def test_a_subject_with_a_bidirectional_override_skips_the_campaign_naming_the_field(
    ws: Workspace,
) -> None:
    _campaign(ws, "Tricky", subject="Invoice \u202egpj.exe", body="<p>Hi</p>", hook="crm")
    _campaign(ws, "Plain", subject="Hello", body="<p>Hi</p>", hook="crm")
    out, _ = _import(ws)
    assert not (ws.project / "tricky.yaml").exists()
    assert "wrote campaigns/plain.yaml" in out
    note = next(line for line in out.splitlines() if "Tricky" in line)
    assert "skipped" in note and "step 1 subject" in note
    assert "Invoice \\u202egpj.exe" in note and "bidirectional" in note
    _validate_and_plan_show_nothing(ws)


def test_a_body_with_an_escape_sequence_skips_the_campaign_naming_the_field(
    ws: Workspace,
) -> None:
    _campaign(ws, "Escaped", subject="Hello", body="<p>Hi\x1b]52;c;b3duZWQ=\x07</p>", hook="crm")
    out, _ = _import(ws)
    assert not (ws.project / "escaped.yaml").exists()
    note = next(line for line in out.splitlines() if "Escaped" in line)
    assert "skipped" in note and "step 1 body" in note and "control character" in note
    assert "\\x1b]52" in note
    assert "Imported 0 campaigns" in out


def test_import_quotes_schedule_times_and_plans_no_change(ws: Workspace) -> None:
    _campaign(ws, "Timed", subject="Hello", body="<p>Hi</p>", hook="crm")
    _import(ws)
    text = (ws.project / "timed.yaml").read_text()
    assert 'start: "09:00"' in text and 'end: "17:30"' in text
    _validate_and_plan_show_nothing(ws)
