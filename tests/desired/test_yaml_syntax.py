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
