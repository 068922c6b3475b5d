"""`${ENV}` values in plans: shown by reference everywhere, compared by value, and never the
tool's own credentials."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CANARY_KEY
from tests.security.campaigns import campaign
from tests.security.harness import CANARY_ENV_SECRET, Workspace, workspace


def test_a_webhook_url_from_the_environment_is_shown_by_its_reference_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with workspace(tmp_path, monkeypatch, capsys) as ws:
        ws.write("crm.yaml", campaign(url="${CRM_WEBHOOK_URL}"))
        outputs = ws.everything(apply=True)
    assert outputs.codes["validate"] == 0, outputs.texts["validate"]
    assert outputs.codes["apply"] == 0, outputs.texts["apply"]
    assert outputs.leaks() == []
    for label in ("plan", "plan-markdown", "plan-json", "plan.json", "summary.md"):
        assert "${CRM_WEBHOOK_URL}" in outputs.texts[label], label
    assert "${CRM_WEBHOOK_URL}" in next(
        t for label, t in outputs.texts.items() if label.startswith("github comment")
    )


def test_a_changed_secret_shows_as_changed_by_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with workspace(tmp_path, monkeypatch, capsys) as ws:
        ws.write("crm.yaml", campaign(url="${CRM_WEBHOOK_URL}"))
        assert ws.run("apply", "campaigns", "--emulator", "--auto-approve")[0] == 0
        same = ws.run("plan", "campaigns", "--emulator", "--detailed-exitcode")
        assert same[0] == 0, same
        monkeypatch.setenv("CRM_WEBHOOK_URL", CANARY_ENV_SECRET + "-rotated")
        code, out, err = ws.run("plan", "campaigns", "--emulator", "--detailed-exitcode")
    assert code == 2, out + err
    (line,) = [line for line in out.splitlines() if "url" in line]
    assert "${CRM_WEBHOOK_URL} [sha256:" in line
    assert line.count("sha256:") == 2
    assert "canaryenvsecret77" not in (out + err).lower()


def test_part_of_a_url_from_the_environment_is_shown_by_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOOK_TOKEN", "CanaryEnvSecret77")
    with workspace(tmp_path, monkeypatch, capsys) as ws:
        ws.write(
            "crm.yaml", campaign(url="https://${HOOK_TOKEN}.hooks.example.com/x/${HOOK_TOKEN}")
        )
        outputs = ws.everything()
    assert outputs.leaks() == []
    assert "https://${HOOK_TOKEN}.hooks.example.com/x/${HOOK_TOKEN}" in outputs.texts["plan"]


@pytest.mark.parametrize(
    "url",
    [
        "https://${SMARTLEAD_API_KEY}.example.com/x",
        "https://hooks.example.com/${GITHUB_TOKEN}",
        "https://hooks.example.com/?k=${SAME_AS_KEY}",
    ],
)
def test_the_tools_own_credentials_cannot_be_interpolated(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SAME_AS_KEY", CANARY_KEY)
    with workspace(tmp_path, monkeypatch, capsys) as ws:
        ws.write("crm.yaml", campaign(url=url))
        code, out, _ = ws.run("validate", "campaigns")
        outputs = ws.everything()
    assert code == 1
    assert "crm.yaml:9:" in out
    assert "credential of smartlead-sync" in out
    assert outputs.codes["plan"] == 1
    assert outputs.leaks() == []


JOINED = CANARY_KEY[:-2], CANARY_KEY[-2:]


@pytest.mark.parametrize(
    ("url", "subject", "line"),
    [
        ("https://e.example/${KEY_HEAD}${KEY_TAIL}?x=1", '"Hi"', 9),  # pieces joined
        ("https://e.example/${KEY_HEAD}" + JOINED[1], '"Hi"', 9),  # a piece and a literal
        (f"https://e.example/{CANARY_KEY.upper()}", '"Hi"', 9),  # typed in, another case
        (f"https://e.example/?k={CANARY_KEY}", '"Hi"', 9),
        ("https://e.example/x", f'"Hi {CANARY_KEY}"', 5),  # a subject is sent too
    ],
)
def test_a_value_that_ends_up_holding_the_key_is_refused_and_never_sent(
    url: str, subject: str, line: int, ws: Workspace
) -> None:
    ws.monkeypatch.setenv("KEY_HEAD", JOINED[0])
    ws.monkeypatch.setenv("KEY_TAIL", JOINED[1])
    ws.write("crm.yaml", campaign(url=url, subject=subject))
    code, out, _ = ws.run("validate", "campaigns")
    outputs = ws.everything(apply=True)
    database = b"".join(p.read_bytes() for p in ws.project.rglob("*.sqlite3"))
    assert code == 1
    field = "webhooks[0].url" if line == 9 else "sequence[0].subject"
    assert f"crm.yaml:{line}:" in out and f"{field} holds the value of SMARTLEAD_API_KEY" in out
    assert outputs.codes["plan"] == 1 and outputs.codes["apply"] == 1
    assert outputs.leaks() == []
    assert CANARY_KEY.lower().encode() not in database.lower()


def test_a_body_file_holding_a_credential_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with workspace(tmp_path, monkeypatch, capsys) as ws:
        token = ws.env["GITHUB_TOKEN"]
        ws.write(
            "bodies/hi.html", f"<p>Hi</p>\n<p>{token.replace('-', '%2D')}</p>\n<p>{token}</p>\n"
        )
        ws.write("crm.yaml", campaign(body="body_file: bodies/hi.html"))
        code, out, _ = ws.run("validate", "campaigns")
    assert code == 1
    assert "bodies/hi.html:3:" in out
    assert "body file campaigns/bodies/hi.html holds the value of GITHUB_TOKEN" in out
    assert token not in out
