"""`smartlead-sync plan` as a user runs it: a real process, on the embedded emulator and over
loopback HTTP, with the example campaigns copied to a scratch directory."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import EMULATOR_API_KEY, Emulator, EmulatorConfig
from smartlead_sync.localstate import EMULATOR_ACCOUNT, state_dir
from smartlead_sync.plan.plan_types import Plan
from tests.conftest import CANARY_KEY, FIXTURE_PROJECT, RunCli
from tests.emulated import FAST, converge, provider_on

SUBJECT = "Last note from me, {{first_name}}"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_PROJECT, tmp_path / "campaigns")
    # The fastest preset: these tests are about plan, not pacing.
    project_file = tmp_path / "campaigns" / "smartlead-sync.yaml"
    text = project_file.read_text().replace("rate_limit_profile: strict", "rate_limit_profile: pro")
    project_file.write_text(text)
    return tmp_path


def converge_to(emulator: Emulator, root: Path) -> None:
    project = load_desired(root, env={})
    with provider_on(emulator, project.tool.rate_limits) as provider:
        converge(provider, project.campaigns, project.tool)


def test_plan_on_the_embedded_emulator_then_converged_is_empty(
    run_cli: RunCli, project_dir: Path
) -> None:
    first = run_cli(
        "plan", "--emulator", "--detailed-exitcode", "--out", "plan.json", cwd=project_dir
    )
    assert first.returncode == 2, first.stderr
    assert "using the embedded emulator" in first.stderr
    assert "Plan: 3 to create, 59 leads to add" in first.stdout
    saved = Plan.from_json((project_dir / "plan.json").read_text())
    assert saved.counts.create == 3

    state = state_dir(project_dir / "campaigns") / EMULATOR_ACCOUNT
    emulator = Emulator(EmulatorConfig(time_scale=FAST), state_path=state)
    converge_to(emulator, project_dir / "campaigns")
    emulator.close()

    second = run_cli("plan", "--emulator", "--detailed-exitcode", cwd=project_dir)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout == "No changes. Smartlead matches the files (3 campaigns).\n"


@pytest.fixture
def served() -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator(EmulatorConfig(time_scale=FAST))
    server = emulator.serve()
    yield emulator, server.base_url
    emulator.close()


@pytest.mark.slow
def test_plan_over_loopback_shows_exactly_an_edited_subject(
    run_cli: RunCli, project_dir: Path, served: tuple[Emulator, str]
) -> None:
    emulator, base_url = served
    converge_to(emulator, project_dir / "campaigns")
    env = {"SMARTLEAD_API_KEY": EMULATOR_API_KEY}
    args = ("plan", "campaigns", "--base-url", base_url, "--detailed-exitcode")
    clean = run_cli(*args, cwd=project_dir, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    campaign_file = project_dir / "campaigns" / "q3-cold-outreach.yaml"
    campaign_file.write_text(
        campaign_file.read_text().replace(SUBJECT, "Final note, {{first_name}}")
    )
    edited = run_cli(*args, cwd=project_dir, env=env)
    assert edited.returncode == 2, edited.stderr
    assert f'~ step 3.subject: "{SUBJECT}" -> "Final note, {{{{first_name}}}}"' in edited.stdout
    q3 = "Q3 cold outreach - RevOps leaders"
    with provider_on(emulator) as provider:
        q3_id = next(c.id for c in provider.list_campaigns() if c.name == q3)
    assert [
        line for line in edited.stdout.splitlines() if line.startswith(("+", "~", "-", "!"))
    ] == [f'~ campaign "{q3}" (id {q3_id}, update)  q3-cold-outreach.yaml']
    assert "Plan: 1 to update;" in edited.stdout


def test_invalid_files_block_the_plan_before_any_api_call(
    run_cli: RunCli, project_dir: Path, served: tuple[Emulator, str]
) -> None:
    emulator, base_url = served
    campaign_file = project_dir / "campaigns" / "q3-cold-outreach.yaml"
    campaign_file.write_text(campaign_file.read_text().replace(SUBJECT, "Hi {{frist_name}}"))
    env = {"SMARTLEAD_API_KEY": EMULATOR_API_KEY}
    result = run_cli("plan", "campaigns", "--base-url", base_url, cwd=project_dir, env=env)
    assert result.returncode == 1
    assert "q3-cold-outreach.yaml:37" in result.stderr and "frist_name" in result.stderr
    assert "Traceback" not in result.stderr
    assert emulator.stats().total_requests == 0


def test_a_bad_key_fails_clearly_and_is_never_printed(
    run_cli: RunCli, project_dir: Path, served: tuple[Emulator, str]
) -> None:
    _, base_url = served
    env = {"SMARTLEAD_API_KEY": CANARY_KEY}
    result = run_cli("plan", "campaigns", "--base-url", base_url, cwd=project_dir, env=env)
    assert result.returncode == 1
    assert CANARY_KEY not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
