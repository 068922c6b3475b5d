"""YAML errors name a line of the file, say it in YAML terms and say how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartlead_sync.desired.yamlsource import parse_yaml
from tests.conftest import RunCli

# text -> (line, column, words in the message, words in the hint)
UNCLOSED: dict[str, tuple[int, int, str, str]] = {
    'name: A\nsubject: "abc\n': (2, 10, "quoted value starting here is never closed", 'closing "'),
    "name: A\nsubject: 'abc\n\n\n": (2, 10, "quoted value starting here", "closing '"),
    'name: "abc': (1, 7, "quoted value starting here is never closed", 'closing "'),
    'name: "abc\r\n  def\r\n': (1, 7, "quoted value starting here", 'closing "'),
    "tags: [a, b\n": (1, 7, "the [ list starting here is never closed", "closing ]"),
    "hook: {url: x\n": (1, 7, "the { mapping starting here is never closed", "closing }"),
    "a:\n  b: [1,\n": (2, 9, "YAML syntax", "missing quote or bracket"),
}


@pytest.mark.parametrize("text", sorted(UNCLOSED))
def test_a_value_open_at_the_end_of_the_file_is_reported_on_a_line_that_exists(text: str) -> None:
    line, column, words, fix = UNCLOSED[text]
    value, problems = parse_yaml(text, "c.yaml")
    assert value is None
    [problem] = problems
    assert (problem.file, problem.line, problem.column) == ("c.yaml", line, column)
    assert problem.line is not None and problem.line <= len(text.splitlines())
    assert words in problem.message
    assert problem.hint is not None and fix in problem.hint


def test_a_syntax_error_inside_the_file_keeps_its_own_location() -> None:
    _, [problem] = parse_yaml("name: A\nb: c: d\nx: 1\n", "c.yaml")
    assert (problem.line, problem.column) == (2, 5)
    assert problem.message == "YAML syntax: mapping values are not allowed in this context"


# text -> (line, column, closing quote, line the parser stopped at)
RUNAWAY: dict[str, tuple[int, int, str, int]] = {
    'name: "Welcome\nstatus: drafted\nsequence:\n  - delay_days: 0\n    subject: "{a|b} x"\n': (
        1,
        7,
        '"',
        5,
    ),
    "a: 1\nname: 'Welcome\nstatus: drafted\nsubject: 'x'\n": (2, 7, "'", 4),
    'tags: [a]\nname: "A\nb"c: 1\n': (2, 7, '"', 3),
}


@pytest.mark.parametrize("text", sorted(RUNAWAY))
def test_a_quote_left_open_mid_file_is_reported_where_it_opens(text: str) -> None:
    line, column, char, stopped = RUNAWAY[text]
    _, [problem] = parse_yaml(text, "c.yaml")
    assert (problem.line, problem.column) == (line, column)
    assert "quoted value starting here is not closed on its line" in problem.message
    assert f"stopped at line {stopped}" in problem.message
    assert problem.hint == f"add the closing {char} at the end of line {line}"


def test_a_quoted_value_that_spans_lines_on_purpose_does_not_take_the_blame() -> None:
    _, [problem] = parse_yaml('subject: "one\n  two"\nx: 1\nb: c: d\n', "c.yaml")
    assert (problem.line, problem.column) == (4, 5)
    assert problem.message == "YAML syntax: mapping values are not allowed in this context"


def test_validate_names_the_line_of_the_open_quote(run_cli: RunCli, tmp_path: Path) -> None:
    text = "\n".join(
        [
            "# c",
            "",
            "",
            "",
            "",
            'name: "Welcome - first campaign',
            "status: drafted",
            "sequence:",
            "  - delay_days: 0",
            '    subject: "{Quick question|A thought}"',
            "",
        ]
    )
    (tmp_path / "welcome.yaml").write_text(text)
    proc = run_cli("validate", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith(
        "welcome.yaml:6:7: error: YAML syntax: the quoted value starting here is not closed "
        'on its line, so YAML read on to the next " (line 10) and stopped at line 10 '
        '(add the closing " at the end of line 6)'
    ), proc.stdout


# campaign file -> the report line for the value of the wrong shape
WRONG_SHAPES: dict[str, str] = {
    "name: A\nsettings: 5\n": "c.yaml:2:11: error: `settings` must be a mapping of keys to values, "
    "not a number (write `key: value` lines indented under it)",
    "name: A\nmailboxes: a@example.com\n": "c.yaml:2:12: error: `mailboxes` must be a list, not "
    "text (write one `- item` per line indented under it, or [a, b])",
    "name: A\nleads:\n  sources:\n    -\n": "c.yaml:4:6: error: `leads.sources` item 1 must be a "
    "mapping of keys to values, not empty",
}


@pytest.mark.parametrize("text", sorted(WRONG_SHAPES))
def test_a_value_of_the_wrong_shape_is_named_in_yaml_terms(
    text: str, run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "c.yaml").write_text(text)
    proc = run_cli("validate", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith(WRONG_SHAPES[text]), proc.stdout
    assert "Model" not in proc.stdout and "Input should be" not in proc.stdout


SCALARS_FILE = """\
name: 5
status: {a: 1}
schedule:
  timezone: America/New_York
  days: [monday]
  start: 9
  end: "17:00"
  minutes_between_emails: 10
  max_new_leads_per_day: "x"
leads:
  sources:
    - csv: [a, b]
sequence:
  - delay_days: {x: 1}
    subject: true
    body: hi
  - delay_days: 1.5
    subject: ""
    body: hi
"""

# the report lines for SCALARS_FILE: what was given, what is expected, an example
WRONG_SCALARS = [
    'c.yaml:1:7: error: `name` must be text, not a number (quote it: name: "5")',
    "c.yaml:2:9: error: `status` must be one of: drafted, active, paused, stopped; not a "
    "mapping (write one of them on the key's line, such as status: drafted)",
    "c.yaml:6:10: error: `schedule.start` must be text, not a number (write times as text in "
    'quotes: start: "09:00")',
    "c.yaml:9:26: error: `schedule.max_new_leads_per_day` must be a whole number, not text "
    "(write digits without quotes, such as max_new_leads_per_day: 3)",
    "c.yaml:12:12: error: `leads.sources.csv` must be text, not a list (write the text on the "
    "key's line, not a list or mapping under it)",
    "c.yaml:14:17: error: `sequence.delay_days` must be a whole number, not a mapping (write "
    "digits without quotes, such as delay_days: 3)",
    "c.yaml:15:14: error: `sequence.subject` must be text, not true/false (quote it: "
    'subject: "true")',
    "c.yaml:17:17: error: `sequence.delay_days` must be a whole number, not a fraction (1.5) "
    "(write digits without quotes, such as delay_days: 3)",
]


def test_a_scalar_of_the_wrong_type_is_named_in_yaml_terms_with_an_example(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "c.yaml").write_text(SCALARS_FILE)
    proc = run_cli("validate", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[: len(WRONG_SCALARS)] == WRONG_SCALARS, proc.stdout
    assert "Input should be" not in proc.stdout and "{'a': 1}" not in proc.stdout


def test_a_value_out_of_range_names_the_limit_and_the_value(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "c.yaml").write_text(
        'name: ""\nschedule:\n  timezone: UTC\n  days: [monday]\n  start: "09:00"\n'
        '  end: "17:00"\n  minutes_between_emails: -3\n  max_new_leads_per_day: 5\n'
        "sequence:\n  - delay_days: -1\n    subject: x\n    body: hi\n"
    )
    proc = run_cli("validate", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[:3] == [
        "c.yaml:1:7: error: `name` must not be empty",
        "c.yaml:7:27: error: `schedule.minutes_between_emails` must be at least 1, not -3",
        "c.yaml:10:17: error: `sequence.delay_days` must be at least 0, not -1",
    ], proc.stdout
