"""What a new user meets first: wrong paths, wrong flags, unwritable outputs, bad plan files.

Each test is named after the mistake. All run in-process through `main` (exit code, stdout,
stderr as a terminal would show them); none needs the network.
"""

from __future__ import annotations

import io
import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smartlead_sync.cli import main
from smartlead_sync.localstate import state_dir
from tests.cli_process import REPO_ROOT, read_terminal
from tests.conftest import FIXTURE_PROJECT, RunCli

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    code = exit_info.value.code
    assert isinstance(code, int)
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture project, with the working directory beside it (for `--emulator`)."""
    shutil.copytree(FIXTURE_PROJECT, tmp_path / "campaigns")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "campaigns"


def test_plan_of_invalid_files_shows_each_problem_without_a_second_error_prefix(
    project: Path, capsys: Capture
) -> None:
    (project / "q3-cold-outreach.yaml").write_text("name: Q3\nstatuss: active\n")
    code, _, err = run(capsys, "plan", str(project), "--emulator")
    assert code == 1
    lines = err.splitlines()
    assert any(line.startswith(f"{project}/q3-cold-outreach.yaml:2:1: error: ") for line in lines)
    assert not [line for line in lines if line.startswith("error:") and ": error: " in line]
    assert not state_dir(project).exists()  # nothing was read


def test_validate_one_campaign_file_in_a_subdirectory_resolves_paths_from_its_project(
    project: Path, capsys: Capture
) -> None:
    # clients/northwind-outbound.yaml extends templates/... and reads leads/..., both relative
    # to the project directory, not to clients/.
    code, out, _ = run(capsys, "validate", str(project / "clients" / "northwind-outbound.yaml"))
    assert code == 0, out
    assert "ok: 1 campaign(s), 18 lead(s)" in out


def test_validate_one_campaign_file_given_from_inside_its_subdirectory(
    project: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "clients")
    code, out, _ = run(capsys, "validate", "northwind-outbound.yaml")
    assert code == 0, out


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("smartlead-sync.yaml", "this is the project file"),
        ("templates/standard-3-step.yaml", "a template"),
        ("leads/q3-cold-outreach.csv", "not a campaign file"),
    ],
)
def test_validate_a_file_that_is_not_a_campaign_is_an_error_not_an_empty_success(
    project: Path, capsys: Capture, name: str, words: str
) -> None:
    code, out, _ = run(capsys, "validate", str(project / name))
    assert code == 1
    assert f"{project / name}: error: {words}" in out


def test_plan_of_a_file_that_is_not_a_campaign_fails_instead_of_planning_nothing(
    project: Path, capsys: Capture
) -> None:
    code, out, err = run(
        capsys, "plan", str(project / "leads" / "q3-cold-outreach.csv"), "--emulator"
    )
    assert code == 1
    assert "No changes" not in out
    assert "not a campaign file" in err


def test_plan_out_and_log_http_into_missing_folders_create_them(
    project: Path, capsys: Capture
) -> None:
    out, log = project.parent / "plans" / "plan.json", project.parent / "logs" / "a" / "http.jsonl"
    code, _, err = run(
        capsys, "plan", str(project), "--emulator", "--out", str(out), "--log-http", str(log)
    )
    assert code == 0, err
    assert '"format_version": 1' in out.read_text()
    assert log.read_text().count("\n") > 0


@pytest.mark.parametrize("flag", ["--journal", "--report", "--log-http"])
def test_apply_output_file_under_a_regular_file_is_refused_before_any_read_or_write(
    project: Path, capsys: Capture, flag: str
) -> None:
    blocker = project.parent / "notes.txt"
    blocker.write_text("a file, not a folder")
    args = ["apply", str(project), "--emulator", "--auto-approve", flag, f"{blocker}/x.json"]
    code, out, err = run(capsys, *args)
    assert code == 1
    assert f"{blocker} is a file, not a folder" in err
    assert out == ""
    assert not state_dir(project).exists()


def test_output_file_that_cannot_be_written_is_an_error_not_an_internal_bug(
    project: Path, capsys: Capture
) -> None:
    dangling = project.parent / "plan.json"
    dangling.symlink_to(project.parent / "gone" / "plan.json")  # passes the early check
    code, _, err = run(capsys, "plan", str(project), "--emulator", "--out", str(dangling))
    assert code == 1
    assert "cannot use" in err and "No such file or directory" in err
    assert "bug" not in err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{corrupt", "invalid JSON"),
        (b"{}", "no format version"),
        (b"[]", "no format version"),
        (b"\xff\xfe\x00binary", "not UTF-8"),
    ],
    ids=["truncated", "empty-object", "list", "binary"],
)
def test_apply_plan_file_that_is_not_a_plan_names_the_file_and_reads_nothing(
    project: Path, capsys: Capture, content: bytes, words: str
) -> None:
    plan_file = project.parent / "plan.json"
    plan_file.write_bytes(content)
    code, _, err = run(capsys, "apply", str(project), "--emulator", "--plan", str(plan_file))
    assert code == 1
    assert f"error: {plan_file}: not a" in err and words in err
    assert not state_dir(project).exists()


def test_answering_no_at_the_apply_prompt_cancels_with_exit_1_and_changes_nothing(
    project: Path, run_cli: RunCli
) -> None:
    """At a terminal whose output is piped (`apply | tee apply.log`): stdin and stderr are the
    terminal, so apply asks there; the plan goes down the pipe."""
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTLEAD_")}
    env.update(PYTHONPATH=str(REPO_ROOT), NO_COLOR="1")
    argv = [sys.executable, "-m", "smartlead_sync", "apply", str(project), "--emulator"]
    proc = subprocess.Popen(
        argv, stdin=secondary, stdout=subprocess.PIPE, stderr=secondary, env=env, cwd=project.parent
    )
    os.close(secondary)
    try:
        read_terminal(primary, "Enter a value")
        os.write(primary, b"no\n")
        after = read_terminal(primary, "nothing was changed", timeout=30)
        piped, _ = proc.communicate(timeout=30)
    finally:
        os.close(primary)
    assert proc.returncode == 1
    assert "Plan: 3 to create" in piped.decode()
    assert "error: apply cancelled; nothing was changed" in after
    assert "aborted" not in after
    again = run_cli("plan", str(project), "--emulator", "--detailed-exitcode", cwd=project.parent)
    assert again.returncode == 2 and "Plan: 3 to create" in again.stdout


def test_apply_of_a_saved_plan_names_it_by_twelve_hex_digits_of_its_fingerprint(
    project: Path, capsys: Capture
) -> None:
    plan_file = project.parent / "plan.json"
    assert run(capsys, "plan", str(project), "--emulator", "--out", str(plan_file))[0] == 0
    fingerprint = json.loads(plan_file.read_text())["fingerprint"].removeprefix("sha256:")
    code, out, _ = run(capsys, "apply", str(project), "--emulator", "--plan", str(plan_file))
    assert code == 0
    assert f"Applying the reviewed plan {fingerprint[:12]}: 3 to create" in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _validate_on_a_terminal(project: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(project)])
    assert exit_info.value.code == 1
    return terminal.getvalue()


def test_colour_only_on_a_terminal_and_never_with_no_color(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "q3-cold-outreach.yaml").write_text("name: Q3\nstatuss: active\n")
    assert "\x1b[31m" in _validate_on_a_terminal(project, monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")
    plain = _validate_on_a_terminal(project, monkeypatch)
    assert "q3-cold-outreach.yaml:2:1: error: " in plain
    assert "\x1b[" not in plain
