"""`--help` lists every command without importing any of them; each runs when named."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from smartlead_sync.cli import COMMANDS, cli
from tests.cli_process import REPO_ROOT
from tests.conftest import RunCli

# What a command needs and `--help` does not: the engine, the emulator, the models, the client.
HEAVY = (
    "smartlead_sync.apply",
    "smartlead_sync.emulator",
    "smartlead_sync.desired.models",
    "smartlead_sync.smartlead",
    "httpx",
    "pydantic",
    "yaml",
    "deepdiff",
)

_PROBE = """
import contextlib, io, json, sys
from smartlead_sync.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "help": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _modules_after(*args: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def _heavy(modules: object) -> list[str]:
    assert isinstance(modules, list)
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def test_help_imports_none_of_the_heavy_modules_and_lists_every_command() -> None:
    result = _modules_after("--help")
    assert result["code"] == 0
    assert _heavy(result["modules"]) == []
    listed = str(result["help"]).split("Commands:")[1]
    assert [line.split()[0] for line in listed.splitlines() if line[:3].strip()] == sorted(COMMANDS)


def test_the_probe_sees_heavy_imports_when_a_command_needs_them() -> None:
    result = _modules_after("plan", "--help")
    assert "smartlead_sync.cli.plan" in result["modules"]  # type: ignore[operator]
    assert "httpx" in _heavy(result["modules"])


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_summary_is_the_first_sentence_of_the_command_help(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.name == name
    assert COMMANDS[name].summary == command.get_short_help_str(limit=200)


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (["plna"], "no such command 'plna' (did you mean 'plan'?); commands: ab, apply,"),
        (["valdate", "--help"], "no such command 'valdate' (did you mean 'validate'?)"),
        (["github", "aply-reviewed"], "(did you mean 'apply-reviewed'?); commands: apply-reviewed"),
        (["emulator", "serv"], "no such command 'serv' (did you mean 'serve'?); commands: serve"),
        (["xyzzy"], "no such command 'xyzzy'; commands: ab, apply,"),
    ],
)
def test_a_mistyped_command_names_the_closest_one(
    words: list[str], said: str, run_cli: RunCli
) -> None:
    proc = run_cli(*words)
    assert proc.returncode == 1  # a usage error: 2 means "changes present"
    assert said in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (
            ["--emulator", "plan"],
            "Error: No such option '--emulator' before the command: a command's options go "
            "after its name (smartlead-sync plan --emulator ...)",
        ),
        (["--emulatr", "plan"], "Error: No such option '--emulatr'.\n"),
        (["--emulator", "emulator", "serve"], "Error: No such option '--emulator'.\n"),
    ],
)
def test_an_option_of_a_command_written_before_it_is_told_to_go_after_it(
    words: list[str], said: str, run_cli: RunCli
) -> None:
    proc = run_cli(*words)
    assert proc.returncode == 1
    assert said in proc.stderr, proc.stderr


def test_a_mistyped_command_imports_no_command() -> None:
    result = _modules_after("plna")
    assert result["code"] == 1
    assert _heavy(result["modules"]) == []
