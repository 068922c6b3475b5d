"""The small commands and conventions around the main ones: show, help, completion, -V, flags
that contradict each other, and hints that keep the flags in use."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from smartlead_sync import __version__
from smartlead_sync.cli.files import PLAN_FILE_CAP
from tests.apply.projects import write_project
from tests.conftest import RunCli


@pytest.fixture
def planned(run_cli: RunCli, tmp_path: Path) -> Path:
    """A project with a saved plan (`plan.json` beside `campaigns/`) and its three renderings."""
    write_project(tmp_path / "campaigns", campaigns=2, leads=3)
    for fmt in ("text", "markdown", "json"):
        proc = run_cli("plan", "--emulator", "--out", "plan.json", "--format", fmt, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        (tmp_path / f"planned.{fmt}").write_text(proc.stdout)
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_show_prints_a_saved_plan_as_plan_printed_it(
    run_cli: RunCli, planned: Path, fmt: str
) -> None:
    (planned / "campaigns" / "campaign-00.yaml").unlink()  # show reads the plan file only
    shown = run_cli("show", "plan.json", "--format", fmt, cwd=planned)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == (planned / f"planned.{fmt}").read_text()
    assert "Plan: 2 to create, 6 leads to add" in run_cli("show", "plan.json", cwd=planned).stdout


def test_show_of_a_file_that_is_not_a_plan_says_so(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text(json.dumps({"hello": 1}))
    proc = run_cli("show", "notes.json", cwd=tmp_path)
    assert proc.returncode == 1
    assert "notes.json: not a smartlead-sync plan file" in proc.stderr
    assert "Traceback" not in proc.stderr
    missing = run_cli("show", "nowhere.json", cwd=tmp_path)
    assert missing.returncode == 1 and "does not exist" in missing.stderr


@pytest.mark.parametrize(
    "flags",
    [
        ("--base-url", "http://127.0.0.1:9/api/v1"),
        ("--api-key", "sk-CONFLICT-0001"),
    ],
)
@pytest.mark.parametrize("command", ["plan", "apply", "import"])
def test_emulator_beside_explicit_connection_flags_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, command: str, flags: tuple[str, str]
) -> None:
    write_project(tmp_path / "campaigns", campaigns=1, leads=1)
    approve = ["--auto-approve"] if command == "apply" else []
    proc = run_cli(command, "--emulator", *flags, *approve, cwd=tmp_path)
    assert proc.returncode == 1
    assert f"--emulator cannot be combined with {flags[0]}" in proc.stderr
    assert "sk-CONFLICT-0001" not in proc.stdout + proc.stderr
    assert not (tmp_path / "campaigns" / ".smartlead-sync").exists()  # nothing was opened


def test_emulator_with_the_connection_variables_set_uses_the_emulator(
    run_cli: RunCli, tmp_path: Path
) -> None:
    write_project(tmp_path / "campaigns", campaigns=1, leads=1)
    env = {"SMARTLEAD_API_KEY": "sk-ENV-0002", "SMARTLEAD_BASE_URL": "http://127.0.0.1:9/api/v1"}
    proc = run_cli("plan", "--emulator", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr


def test_the_hint_after_import_keeps_the_emulator_and_the_path(
    run_cli: RunCli, tmp_path: Path
) -> None:
    write_project(tmp_path / "campaigns", campaigns=1, leads=1)
    assert run_cli("apply", "--emulator", "--auto-approve", cwd=tmp_path).returncode == 0
    (tmp_path / "adopted").mkdir()
    state = tmp_path / "campaigns" / ".smartlead-sync"
    # The same emulated account (a copy: the state folder is never used through a link).
    shutil.copytree(state, tmp_path / "adopted" / ".smartlead-sync")
    imported = run_cli("import", "--emulator", "adopted", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "Next: `smartlead-sync plan adopted --emulator` should show no changes" in (
        imported.stdout
    )
    hinted = run_cli("plan", "adopted", "--emulator", "--detailed-exitcode", cwd=tmp_path)
    assert hinted.returncode == 0, hinted.stdout + hinted.stderr


def test_the_hint_of_an_unapproved_apply_keeps_the_path_and_the_flags(
    run_cli: RunCli, tmp_path: Path
) -> None:
    write_project(tmp_path / "mine", campaigns=1, leads=1)
    proc = run_cli("apply", "mine", "--emulator", cwd=tmp_path, input="")
    assert proc.returncode == 1
    assert "`smartlead-sync plan mine --emulator --out plan.json`" in proc.stderr


def test_version_and_help(run_cli: RunCli) -> None:
    for flag in ("-V", "--version"):
        proc = run_cli(flag)
        assert (proc.returncode, proc.stdout) == (0, f"smartlead-sync, version {__version__}\n")
    top = run_cli("help")
    assert top.returncode == 0 and "Commands:" in top.stdout and "init" in top.stdout
    assert run_cli("help", "plan").stdout == run_cli("plan", "--help").stdout
    serve = run_cli("help", "emulator", "serve")
    assert serve.stdout == run_cli("emulator", "serve", "--help").stdout
    typo = run_cli("help", "plna")
    assert typo.returncode == 1 and "did you mean 'plan'?" in typo.stderr
    leaf = run_cli("help", "plan", "x")
    assert leaf.returncode == 1 and "has no subcommands" in leaf.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_that_calls_back_into_the_command(
    run_cli: RunCli, shell: str
) -> None:
    proc = run_cli("completion", shell)
    assert proc.returncode == 0, proc.stderr
    assert "_SMARTLEAD_SYNC_COMPLETE" in proc.stdout


def test_completion_completes_commands_and_choices(run_cli: RunCli) -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_SMARTLEAD_SYNC_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        proc = run_cli(env=env)
        assert proc.returncode == 0, proc.stderr
        return [line.split(",", 1)[1] for line in proc.stdout.splitlines()]

    assert complete("smartlead-sync pl") == ["plan"]
    assert complete("smartlead-sync plan --format ") == ["text", "markdown", "json"]
    assert complete("smartlead-sync completion ") == ["bash", "zsh", "fish"]


@pytest.mark.parametrize("command", [("show",), ("apply", "--emulator", "--plan")])
def test_a_plan_that_is_a_device_a_fifo_or_too_large_is_refused_unread(
    run_cli: RunCli, tmp_path: Path, command: tuple[str, ...]
) -> None:
    write_project(tmp_path / "campaigns", campaigns=1, leads=1)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)  # read as a plan, it would wait for a writer forever
    huge = tmp_path / "huge.json"
    with huge.open("wb") as sparse:  # one byte over the cap, without using the disk
        sparse.truncate(PLAN_FILE_CAP + 1)
    for plan, why in [
        (fifo, "not a regular file"),
        (Path("/dev/null"), "not a regular file"),
        (huge, "larger than 512 MiB"),
    ]:
        proc = run_cli(*command, str(plan), cwd=tmp_path, timeout=60)
        assert proc.returncode == 1, proc.stderr
        assert f"{plan}: not a plan file ({why})" in proc.stderr
        assert "Traceback" not in proc.stderr
