"""Terminal conventions: colour (NO_COLOR, FORCE_COLOR, TERM=dumb, --no-color), errors as JSON
under `--format json`, and `validate --format github` annotations."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import cast

import pytest

from smartlead_sync.cli import main
from smartlead_sync.cli.annotations import annotation
from smartlead_sync.errors import Problem, Severity

Capture = pytest.CaptureFixture[str]
ANSI = "\x1b["

CAMPAIGN = """\
name: Spring outreach
status: drafted
sequence:
  - delay_days: 0
    subject: Hello {{first_name}}
    body: <p>Hi</p>
leads:
  sources:
    - inline:
        - {email: ada@example.com, first_name: Ada}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-campaign project with one typo, and the working directory beside it."""
    root = tmp_path / "campaigns"
    root.mkdir()
    (root / "smartlead-sync.yaml").write_text("settings: {lead_batch_size: 100}\n")
    (root / "spring.yaml").write_text(CAMPAIGN.replace("status:", "statuss:"))
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    return root


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(monkeypatch: pytest.MonkeyPatch, *args: str, tty: bool) -> tuple[int, str]:
    stream = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    code = exit_info.value.code
    assert isinstance(code, int)
    return code, stream.getvalue()


@pytest.mark.parametrize(
    ("env", "flag", "tty", "coloured"),
    [
        ({}, None, True, True),
        ({}, None, False, False),
        ({"NO_COLOR": "1"}, None, True, False),
        ({"NO_COLOR": ""}, None, True, True),  # set but empty counts as unset (no-color.org)
        ({"FORCE_COLOR": "1"}, None, False, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, None, False, False),
        ({"TERM": "dumb"}, None, True, False),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, None, True, True),
        ({"FORCE_COLOR": "1"}, "before", False, False),
        ({}, "after", True, False),
    ],
)
def test_colour_follows_the_environment_and_the_flag(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    env: dict[str, str],
    flag: str | None,
    tty: bool,
    coloured: bool,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    args = ["validate", str(project)]
    if flag == "before":
        args.insert(0, "--no-color")
    elif flag == "after":
        args.append("--no-color")
    code, out = _run(monkeypatch, *args, tty=tty)
    assert code == 1
    assert "spring.yaml:2:1:" in out
    assert (ANSI in out) is coloured


def test_no_color_holds_for_one_run_only(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ANSI not in _run(monkeypatch, "--no-color", "validate", str(project), tty=True)[1]
    assert ANSI in _run(monkeypatch, "validate", str(project), tty=True)[1]


@pytest.mark.parametrize(
    ("env", "tty", "coloured"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"NO_COLOR": "1"}, True, False),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
    ],
)
def test_plan_and_show_reports_follow_the_same_colour_rules(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    env: dict[str, str],
    tty: bool,
    coloured: bool,
) -> None:
    (project / "spring.yaml").write_text(CAMPAIGN)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    saved = project.parent / "plan.json"
    code, out = _run(monkeypatch, "plan", "--emulator", "--out", str(saved), str(project), tty=tty)
    assert code == 0 and "Spring outreach" in out
    assert (ANSI in out) is coloured
    code, out = _run(monkeypatch, "show", str(saved), tty=tty)
    assert code == 0 and "Spring outreach" in out
    assert (ANSI in out) is coloured


def _json_run(capsys: Capture, *args: str) -> tuple[int, dict[str, object], str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    assert isinstance(code, int)
    return code, json.loads(out), err


def test_plan_errors_under_format_json_are_json_on_stdout(project: Path, capsys: Capture) -> None:
    code, document, err = _json_run(capsys, "plan", str(project), "--emulator", "--format", "json")
    assert code == 1 and err == ""
    assert document["ok"] is False
    error = document["error"]
    assert isinstance(error, dict)
    assert (error["kind"], error["exit_code"]) == ("input", 1)
    assert "nothing was read or planned" in error["message"]
    (problem,) = cast("list[dict[str, object]]", document["problems"])
    assert problem["file"] == f"{project}/spring.yaml" and problem["line"] == 2


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_a_missing_project_under_format_json_is_a_json_error(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    args = [command, str(tmp_path / "nowhere"), "--format", "json", "--emulator"]
    args += ["--auto-approve"] if command == "apply" else []
    code, document, err = _json_run(capsys, *args)
    assert code == 1 and err == ""
    error = document["error"]
    assert isinstance(error, dict) and error["exit_code"] == 1
    assert "nowhere" in str(error["message"]) + json.dumps(document["problems"])


def test_a_usage_error_under_format_json_keeps_exit_1(project: Path, capsys: Capture) -> None:
    code, document, _ = _json_run(capsys, "plan", str(project), "--format=json", "--campaign")
    assert code == 1
    assert document["error"] == {
        "kind": "usage",
        "message": "Option '--campaign' requires an argument.",
        "hint": None,
        "exit_code": 1,
    }


def test_errors_stay_text_on_stderr_without_format_json(project: Path, capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(project), "--emulator"])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 1 and out == ""
    assert "error: 1 problem(s) in" in err


def test_validate_format_github_prints_one_annotation_per_problem(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "autumn.yaml").write_text(
        CAMPAIGN.replace("Spring", "Autumn").replace("body: <p>Hi</p>", "body: <p>%nope%</p>")
    )
    code, out = _run(monkeypatch, "validate", str(project), "--format", "github", tty=True)
    assert code == 1
    lines = out.splitlines()
    assert lines[-1] == "1 campaign(s), 1 lead(s): 1 error(s), 1 warning(s)"  # spring failed
    error = next(line for line in lines if line.startswith("::error "))
    assert error.startswith(f"::error file={project}/spring.yaml,line=2,col=1,title=")
    assert "statuss" in error.split("::", 2)[2]
    warning = next(line for line in lines if line.startswith("::warning "))
    assert f"file={project}/autumn.yaml,line=" in warning
    assert "%25nope%25" in warning  # `%` in a message is escaped
    assert ANSI not in out


def test_annotation_escapes_properties_and_message_by_github_rules() -> None:
    problem = Problem(
        "50% of leads\r\nlack it",
        file="a,b:c.yaml",
        line=3,
        column=None,
        severity=Severity.WARNING,
        code="blank-variable",
        hint="fill it in",
    )
    # A problem is one line: the line break a message quotes is escaped before GitHub's rules.
    assert annotation(problem) == (
        "::warning file=a%2Cb%3Ac.yaml,line=3,title=smartlead-sync%3A blank-variable"
        "::50%25 of leads\\x0d\\x0alack it (fill it in)"
    )
    assert annotation(Problem("bad")) == "::error title=smartlead-sync%3A invalid::bad"
