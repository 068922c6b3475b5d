"""Every negative fixture under invalid/ fails `validate` with exit 1, at the right place.

Each fixture is named after the failure it triggers. The expected location is the
`file:line[:column]` (or `file.csv:row`) that must start a line of the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartlead_sync.cli import main
from tests.conftest import RunCli

INVALID = Path(__file__).parent / "invalid"

# fixture -> (location that starts the report line, words the message must contain)
CASES: dict[str, tuple[str, str]] = {
    "unknown-key.yaml": ("unknown-key.yaml:3:1", "did you mean `settings`"),
    "duplicate-key.yaml": ("duplicate-key.yaml:3:1", "duplicate key 'name'"),
    "bad-timezone.yaml": ("bad-timezone.yaml:3:13", "did you mean 'Europe/Berlin'"),
    "bad-yaml-syntax.yaml": ("bad-yaml-syntax.yaml:4:14", "quoted value starting here is never"),
    "percentages-not-100.yaml": ("percentages-not-100.yaml:3:5", "sum to 90, not 100"),
    "active-without-mailbox.yaml": ("active-without-mailbox.yaml:2:9", "at least one mailbox"),
    "active-without-schedule.yaml": ("active-without-schedule.yaml:2:9", "needs a schedule"),
    "missing-variable.yaml": (
        "missing-variable.yaml:7",
        "{{company_name}} is blank for 2 of 3 leads (first: leads/missing-variable.csv:3, "
        "leads/missing-variable.csv:4)",
    ),
    "unknown-variable.yaml": ("unknown-variable.yaml:3:30", "did you mean `first_name`"),
    "bad-email.yaml": ("leads/bad-email.csv:3", "invalid email b***@@example.com"),
    "bad-mailbox-email.yaml": ("bad-mailbox-email.yaml:2:40", "mailbox 'not an email'"),
    "broken-csv.yaml": ("leads/broken-csv.csv:3", "row has 3 fields, the header has 2"),
    "unterminated-quote-csv.yaml": ("leads/unterminated-quote-csv.csv:3", "broken CSV"),
    "binary-csv.yaml": ("leads/binary-csv.csv", "binary file, not CSV text (a spreadsheet"),
    "not-utf8-csv.yaml": ("leads/not-utf8-csv.csv:2", "not UTF-8 text (byte 0xe9 in this line"),
    "utf16-csv.yaml": ("leads/utf16-csv.csv", "UTF-16 text"),
    "unclosed-quote-csv.yaml": ("leads/unclosed-quote-csv.csv:2", "is never closed"),
    "semicolon-separated-csv.yaml": (
        "leads/semicolon-separated-csv.csv:1",
        'no email column (the header looks split by `;`: add `delimiter: ";"`',
    ),
    "missing-csv.yaml": ("missing-csv.yaml:4:12", "cannot read lead file"),
    "csv-without-email-column.yaml": ("leads/csv-without-email-column.csv:1", "no email column"),
    "unknown-column-in-map.yaml": ("unknown-column-in-map.yaml:6:21", "did you mean 'First Name'"),
    "step1-empty-subject.yaml": ("step1-empty-subject.yaml:4:14", "step 1 needs a subject"),
    "stopped-without-opt-in.yaml": ("stopped-without-opt-in.yaml:2:9", "allow_stop: true"),
    "start-after-end.yaml": ("start-after-end.yaml:3:3", "must be before end"),
    "bad-hour-format.yaml": ("bad-hour-format.yaml:5:10", "'9:00' is not a time"),
    "bad-day-name.yaml": ("bad-day-name.yaml:4:18", "did you mean `tuesday`"),
    "duplicate-lead-different-data.yaml": (
        "leads/duplicate-lead-different-data.csv:4",
        "duplicate lead A***@example.com",
    ),
    "spintax-with-variable.yaml": ("spintax-with-variable.yaml:7", "spintax group contains"),
    "unbalanced-spintax.yaml": ("unbalanced-spintax.yaml:4:14", "never closed"),
    "fallback-syntax.yaml": ("fallback-syntax.yaml:4:14", "no fallback syntax"),
    "missing-env.yaml": (
        "missing-env.yaml:4:10",
        "SMARTLEAD_TEST_UNSET_HOOK is not set (export SMARTLEAD_TEST_UNSET_HOOK=... before",
    ),
    "extends-missing-template.yaml": ("extends-missing-template.yaml:1:10", "template not found"),
    "extends-cycle.yaml": ("templates/cycle-b.yaml:1:10", "cycle"),
    "body-file-missing.yaml": ("body-file-missing.yaml:5:16", "cannot read body file"),
    "duplicate-variant-label.yaml": ("duplicate-variant-label.yaml:3:5", "labels must be unique"),
    "not-a-mapping.yaml": ("not-a-mapping.yaml:1:1", "must be a mapping"),
    "empty-file.yaml": ("empty-file.yaml", "empty file"),
    "not-utf8.yaml": ("not-utf8.yaml:1", "not UTF-8"),
    "webhook-bad-event.yaml": ("webhook-bad-event.yaml:5:14", "did you mean `EMAIL_REPLY`"),
    "webhook-without-categories.yaml": ("webhook-without-categories.yaml:3:5", "category"),
    "merge-key.yaml": ("merge-key.yaml:4:3", "merge keys (<<) are not supported"),
    "sequence-override-without-base.yaml": (
        "sequence-override-without-base.yaml:3:3",
        "need an inherited sequence",
    ),
    "too-many-variants.yaml": ("too-many-variants.yaml:5:17", "'G' is not one of"),
    "duplicate-campaign-name": ("duplicate-campaign-name/second.yaml:1:7", "also used by"),
    "lead-in-two-campaigns": ("lead-in-two-campaigns/second.yaml:6", "also in campaign 'First'"),
    "bad-project-settings": (
        "bad-project-settings/smartlead-sync.yaml:3:20",
        "lead_batch_size",
    ),
}


def test_every_fixture_has_a_case() -> None:
    on_disk = {p.name for p in INVALID.iterdir() if p.name not in ("leads", "templates")}
    assert on_disk == set(CASES)


def _validate(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    monkeypatch.chdir(INVALID)
    monkeypatch.delenv("SMARTLEAD_TEST_UNSET_HOOK", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    code = exit_info.value.code
    assert isinstance(code, int)
    return code, captured.out


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_fixture_fails_at_its_location(
    fixture: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    location, words = CASES[fixture]
    code, out = _validate([fixture], capsys, monkeypatch)
    assert code == 1, out
    lines = [line for line in out.splitlines() if line.startswith(f"{location}: error: ")]
    assert lines, f"no error at {location} in:\n{out}"
    assert any(words in line for line in lines), out


@pytest.mark.parametrize("fixture", ["unknown-key.yaml", "broken-csv.yaml"])
def test_json_output_names_the_location(
    fixture: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    code, out = _validate(["--format", "json", fixture], capsys, monkeypatch)
    report = json.loads(out)
    assert code == 1
    assert report["ok"] is False
    location = CASES[fixture][0].split(":")
    first = report["problems"][0]
    assert first["file"] == location[0]
    assert first["line"] == int(location[1])


def test_a_real_process_reports_every_problem_of_a_directory_without_traceback(
    run_cli: RunCli,
) -> None:
    proc = run_cli("validate", str(INVALID / "duplicate-campaign-name"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "also used by" in proc.stdout


def test_missing_directory_is_an_error_not_a_traceback(run_cli: RunCli, tmp_path: Path) -> None:
    proc = run_cli("validate", str(tmp_path / "nowhere"))
    assert proc.returncode == 1
    assert "no such directory" in proc.stdout
    assert "Traceback" not in proc.stderr
