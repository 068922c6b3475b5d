"""A Smartlead that answers nonsense with HTTP 200: every read the plan relies on, each kind of
unusable body. The run stops with exit 1, names the route, and writes nothing.

The account holds a converged, ACTIVE campaign whose files have since changed (an edited
subject, one more lead), so an apply that misread an answer would write at once: re-create the
campaign, pause it and re-save its steps, re-create its webhook, or add leads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import EMULATOR_API_KEY, Emulator, EmulatorConfig, Faults
from smartlead_sync.emulator.config import BadBody
from tests.apply.projects import write_leads, write_project
from tests.conftest import RunCli
from tests.emulated import FAST, converge, provider_on

# The emulator's route name -> the route as our messages name it (never a real path or key).
PLAN_READS = {
    "GET /campaigns": "GET /campaigns",  # its rows are the campaigns' settings too (§3.1)
    "GET /campaigns/{campaign_id}/sequences": "GET /campaigns/{id}/sequences",
    "GET /campaigns/{campaign_id}/email-accounts": "GET /campaigns/{id}/email-accounts",
    "GET /campaigns/{campaign_id}/webhooks": "GET /campaigns/{id}/webhooks",
    "GET /campaigns/{campaign_id}/leads-export": "GET /campaigns/{id}/leads-export",
    "GET /campaigns/{campaign_id}/leads": "GET /campaigns/{id}/leads",
    "GET /email-accounts": "GET /email-accounts",
}
BAD_BODIES: tuple[BadBody, ...] = (
    "html",
    "message",
    "truncated",
    "null",
    "wrong_types",
    "missing_ids",
)
# The paged lead list is read only when the export is missing: make it so.
_EXPORT_MISSING = ("GET /campaigns/{campaign_id}/leads-export", "not_found")


@dataclass
class Account:
    emulator: Emulator
    base_url: str
    project: Path

    def faults(self, route: str, body: BadBody) -> None:
        extra = (_EXPORT_MISSING,) if route == "GET /campaigns/{campaign_id}/leads" else ()
        self.emulator.set_faults(Faults(bad_bodies=((route, body), *extra)))
        self.emulator.reset_stats()

    def writes(self) -> list[str]:
        return [f"{e.method} {e.route}" for e in self.emulator.stats().log if e.method != "GET"]

    def run(self, run_cli: RunCli, command: str, *args: str) -> tuple[int, str, str]:
        env = {"SMARTLEAD_API_KEY": EMULATOR_API_KEY}
        extra = ("--auto-approve",) if command == "apply" else ()
        result = run_cli(
            command,
            str(self.project),
            *extra,
            *args,
            "--base-url",
            self.base_url,
            "--time-scale",
            str(FAST),
            cwd=self.project.parent,
            env=env,
        )
        return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def account(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Account]:
    root = write_project(tmp_path_factory.mktemp("misbehaving") / "campaigns", campaigns=1, leads=3)
    emulator = Emulator(EmulatorConfig(time_scale=FAST))
    server = emulator.serve()
    project = load_desired(root, env={})
    with provider_on(emulator, project.tool.rate_limits) as provider:
        converge(provider, project.campaigns, project.tool)
    campaign = root / "campaign-00.yaml"
    campaign.write_text(campaign.read_text().replace("Quick question", "One question"))
    write_leads(root, 0, 4)  # one lead more than Smartlead holds
    yield Account(emulator, server.base_url, root)
    emulator.close()


@pytest.fixture
def clean(account: Account) -> Iterator[Account]:
    yield account
    account.emulator.set_faults(Faults())


def _says_unusable(stderr: str, route: str) -> None:
    assert f"Smartlead API {route} failed (HTTP 200)" in stderr, stderr
    assert "Smartlead answered something unusable" in stderr, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert EMULATOR_API_KEY not in stderr


@pytest.mark.parametrize("body", BAD_BODIES)
@pytest.mark.parametrize("route", list(PLAN_READS))
def test_apply_stops_before_any_write_on_an_unusable_read(
    run_cli: RunCli, clean: Account, route: str, body: BadBody
) -> None:
    clean.faults(route, body)
    code, stdout, stderr = clean.run(run_cli, "apply")
    assert code == 1, stdout + stderr
    _says_unusable(stderr, PLAN_READS[route])
    assert clean.writes() == []


def test_unusable_campaign_list_is_not_an_empty_account(run_cli: RunCli, clean: Account) -> None:
    """Before: an HTML page on GET /campaigns read as "no campaigns", so plan proposed creating
    every campaign again and apply created duplicates."""
    clean.faults("GET /campaigns", "html")
    code, stdout, stderr = clean.run(run_cli, "plan", "--detailed-exitcode")
    assert code == 1, stdout + stderr
    assert "to create" not in stdout
    _says_unusable(stderr, "GET /campaigns")
    code, stdout, stderr = clean.run(run_cli, "apply")
    assert code == 1, stdout + stderr
    assert clean.writes() == []


def test_unusable_sequences_neither_pause_nor_resave_steps(run_cli: RunCli, clean: Account) -> None:
    """Before: `{"message": ...}` on GET .../sequences read as "no steps": apply paused the
    ACTIVE campaign and saved every step without its id (Smartlead's step stats lost)."""
    clean.faults("GET /campaigns/{campaign_id}/sequences", "message")
    code, stdout, stderr = clean.run(run_cli, "apply")
    assert code == 1, stdout + stderr
    _says_unusable(stderr, "GET /campaigns/{id}/sequences")
    assert clean.writes() == []
