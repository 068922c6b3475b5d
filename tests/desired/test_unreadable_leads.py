"""A lead file that cannot be read is reported once, at the file: the variables its leads would
have filled are not reported as unknown or blank on top of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli

CAMPAIGN = """\
name: Unreadable leads
sequence:
  - delay_days: 0
    subject: Hello {{first_name}}
    body: How is {{pain_point}} going?
leads:
  sources:
    - csv: leads/a.csv
"""
GOOD = b"email,first_name,pain_point\nada@example.com,Ada,churn\n"

# lead file content (None: no file) -> (location that starts the error line, words in it)
BROKEN: dict[str, tuple[bytes | None, str, str]] = {
    "missing": (None, "c.yaml:8:12", "cannot read lead file leads/a.csv: no such lead file"),
    "not-utf8": (b"email,first_name\n\xff@example.com,A\n", "leads/a.csv:2", "not UTF-8"),
    "unclosed-quote": (b'email,first_name\n"ada@example.com,Ada\n', "leads/a.csv:2", "broken"),
    "no-email-column": (b"mail,first_name\nada@example.com,Ada\n", "leads/a.csv:1", "no email"),
    "empty": (b"", "leads/a.csv", "empty CSV file"),
}


def _project(root: Path, lead_file: bytes | None, campaign: str = CAMPAIGN) -> None:
    (root / "c.yaml").write_text(campaign)
    (root / "leads").mkdir()
    if lead_file is not None:
        (root / "leads" / "a.csv").write_bytes(lead_file)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_only_the_lead_file_error_is_reported(case: str, run_cli: RunCli, tmp_path: Path) -> None:
    content, location, words = BROKEN[case]
    _project(tmp_path, content)
    proc = run_cli("validate", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout
    errors = [line for line in proc.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 1, proc.stdout
    assert errors[0].startswith(f"{location}: error: ") and words in errors[0], proc.stdout
    assert "{{" not in proc.stdout


def test_a_missing_lead_file_says_what_to_do(run_cli: RunCli, tmp_path: Path) -> None:
    _project(tmp_path, None)
    proc = run_cli("validate", ".", cwd=tmp_path)
    assert "relative to the project directory" in proc.stdout, proc.stdout


def test_one_unreadable_source_skips_the_check_for_the_whole_campaign(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _project(tmp_path, b"email,first_name\nbo@example.com,Bo\n", CAMPAIGN + "    - csv: b.csv\n")
    proc = run_cli("validate", ".", cwd=tmp_path)
    errors = [line for line in proc.stdout.splitlines() if ": error: " in line]
    assert errors == [
        "c.yaml:9:12: error: cannot read lead file b.csv: no such lead file "
        "(a `csv:` path is relative to the project directory: fix the path or add the file)"
    ], proc.stdout


def test_readable_leads_still_have_their_variables_checked(run_cli: RunCli, tmp_path: Path) -> None:
    _project(tmp_path, b"email,first_name\nada@example.com,Ada\n")
    proc = run_cli("validate", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert "c.yaml:5:" in proc.stdout and "unknown variable {{pain_point}}" in proc.stdout
    (tmp_path / "leads" / "a.csv").write_bytes(GOOD)
    assert run_cli("validate", ".", cwd=tmp_path).returncode == 0
