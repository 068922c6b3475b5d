"""Every command that talks to Smartlead (plan, apply, import, guard, ab, doctor, github) keeps
the key out of its output and its files."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest

from smartlead_sync.cli import cli, main
from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import Emulator, EmulatorConfig, Faults
from smartlead_sync.tool_settings import RATE_LIMIT_PROFILES
from tests.conftest import CANARY_KEY, FIXTURE_PROJECT, RunCli
from tests.emulated import provider_on
from tests.health.projects import AB_STEP, SIMPLE_STEP, write_project


# Commands decorated with `connection_options`, found at run time so new ones are covered too.
def _connected() -> list[str]:
    ctx = click.Context(cli)
    commands = [cli.get_command(ctx, name) for name in cli.list_commands(ctx)]
    return sorted(
        c.name for c in commands if c and c.name and any(p.name == "api_key" for p in c.params)
    )


CONNECTED = _connected()
EXTRA_ARGS = {"apply": ["--auto-approve"]}


@pytest.fixture
def rejecting_server() -> Iterator[str]:
    """A loopback emulator that knows only its own key, so the canary gets a 401."""
    emulator = Emulator(EmulatorConfig())
    server = emulator.serve()
    try:
        yield server.base_url
    finally:
        emulator.close()


def _leaks(root: Path) -> list[str]:
    return [
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and CANARY_KEY.encode() in p.read_bytes()
    ]


@pytest.mark.slow
@pytest.mark.parametrize("command", CONNECTED)
@pytest.mark.parametrize("via", ["env", "flag"])
def test_rejected_canary_key_is_never_shown_or_written(
    command: str, via: str, run_cli: RunCli, rejecting_server: str, tmp_path: Path
) -> None:
    shutil.copytree(FIXTURE_PROJECT, tmp_path / "campaigns")
    args = [command, *EXTRA_ARGS.get(command, []), "--base-url", rejecting_server]
    args += ["--log-http", "http.jsonl"]
    env = {"SMARTLEAD_API_KEY": CANARY_KEY} if via == "env" else {}
    if via == "flag":
        args += ["--api-key", CANARY_KEY]
    result = run_cli(*args, cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "401" in result.stderr or "API key" in result.stderr
    assert CANARY_KEY not in result.stdout + result.stderr
    assert _leaks(tmp_path) == []


@pytest.fixture
def accepting_server() -> Iterator[tuple[Emulator, str]]:
    """A loopback emulator whose account key is the canary, on the `pro` limits, 50x faster."""
    config = EmulatorConfig(
        api_keys=(CANARY_KEY,), rate_limits=RATE_LIMIT_PROFILES["pro"], time_scale=50
    )
    emulator = Emulator(config)
    server = emulator.serve()
    try:
        yield emulator, server.base_url
    finally:
        emulator.close()


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    assert isinstance(code, int)
    return code, out + err


def _recorder(capsys: pytest.CaptureFixture[str], shown: list[str]) -> Callable[..., None]:
    """`run(expected_exit, *args)`: run the CLI in this process, keep what it printed."""

    def run(expected: int, *args: str) -> None:
        code, text = _main(capsys, *args)
        assert code == expected, text
        shown.append(text)

    return run


def _on_account(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, base_url: str) -> None:
    """Run from `tmp_path` against the account at `base_url`, the canary key in the env."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SMARTLEAD_API_KEY", CANARY_KEY)
    monkeypatch.setenv("SMARTLEAD_BASE_URL", base_url)


@pytest.mark.slow
def test_accepted_canary_key_stays_out_of_every_output_and_every_file_written(
    accepting_server: tuple[Emulator, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """plan (every format, --out), github summary, apply (a saved plan, then a failing one:
    retries, report, journal), import --with-leads: every --log-http too."""
    emulator, base_url = accepting_server
    project = tmp_path / "campaigns"
    shutil.copytree(FIXTURE_PROJECT, project)
    settings = project / "smartlead-sync.yaml"
    settings.write_text(settings.read_text().replace("profile: strict", "profile: pro"))
    _on_account(monkeypatch, tmp_path, base_url)
    out = tmp_path / "out"
    log = ["--log-http", str(out / "http.jsonl")]
    journal = ["--journal", str(out / "journal.jsonl"), "--time-scale", "50"]
    shown: list[str] = []
    run = _recorder(capsys, shown)

    for fmt in ("text", "markdown", "json"):
        run(0, "plan", str(project), "--format", fmt, "--out", str(out / "plan.json"), *log)
    run(0, "github", "summary", "--plan", str(out / "plan.json"))
    run(
        0,
        "apply",
        str(project),
        "--plan",
        str(out / "plan.json"),
        *journal,
        *log,
        "--report",
        str(out / "report.json"),
    )
    with (project / "leads" / "q3-cold-outreach.csv").open("a") as csv_file:
        csv_file.write("new.lead@brightpath.example.org,New,Lead,Brightpath,,CEO,pain,alex\n")
    emulator.set_faults(
        Faults(server_error_rate=1.0, routes=frozenset({"POST /campaigns/{campaign_id}/leads"}))
    )
    run(
        1,
        "apply",
        str(project),
        "--auto-approve",
        "--format",
        "json",
        *journal,
        *log,
        "--report",
        str(out / "failed.json"),
    )
    run(0, "import", "--out", str(out / "imported"), "--with-leads", *log)

    assert CANARY_KEY not in "".join(shown)
    assert _leaks(tmp_path) == []
    written = [p for p in out.rglob("*") if p.is_file() and "leads" not in p.relative_to(out).parts]
    assert {"plan.json", "report.json", "failed.json", "journal.jsonl", "http.jsonl"} <= {
        p.name for p in written
    }
    emails = {
        lead.email
        for c in load_desired(project, env={}).campaigns
        for lead in (c.state.leads or {}).values()
    }
    texts = [*shown, *(p.read_text() for p in written)]
    assert len(emails) == 60
    assert not [e for e in emails if any(e in text for text in texts)], "a lead email leaked"


@pytest.mark.slow
def test_health_commands_never_show_or_write_the_key(
    accepting_server: tuple[Emulator, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """guard, ab and doctor keep an accepted key out of every output and every file they write."""
    emulator, base_url = accepting_server
    project = write_project(
        tmp_path, {"Spiking": SIMPLE_STEP, "Opener": AB_STEP.format(on_winner="winner_to_100")}
    )
    _on_account(monkeypatch, tmp_path, base_url)
    out = tmp_path / "out"
    log = ["--log-http", str(out / "http.jsonl")]
    shown: list[str] = []
    run = _recorder(capsys, shown)

    run(0, "apply", str(project), "--auto-approve", *log)
    with provider_on(emulator, key=CANARY_KEY) as provider:
        ids = {s.name: s.id for s in provider.list_campaigns()}
    emulator.simulate_sends(ids["Spiking"], 300, bounces=60)
    emulator.simulate_sends(ids["Opener"], 300, variant_label="A", replies=9)
    emulator.simulate_sends(ids["Opener"], 300, variant_label="B", replies=36)
    for fmt in ("text", "markdown", "json"):
        run(0, "guard", str(project), "--format", fmt, "--out", str(out / "guard.json"), *log)
        run(0, "ab", str(project), "--format", fmt, *log)
    run(0, "guard", str(project), "--auto-approve", *log)
    run(0, "ab", str(project), "--write", *log)
    run(0, "doctor", str(project), *log)
    run(0, "doctor", str(project), "--format", "json", *log)

    assert CANARY_KEY not in "".join(shown)
    assert _leaks(tmp_path) == []
    assert (out / "guard.json").is_file() and (out / "http.jsonl").is_file()
