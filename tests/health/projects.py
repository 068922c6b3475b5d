"""Campaign projects for the health tests: written to a scratch directory, fictional only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.localstate import EMULATOR_ACCOUNT, state_dir
from tests.emulated import FAST, provider_on

PROJECT_FILE = """\
defaults:
  status: active
  schedule:
    timezone: UTC
    days: [monday, tuesday, wednesday, thursday, friday]
    start: "09:00"
    end: "17:00"
    minutes_between_emails: 10
    max_new_leads_per_day: 50
  mailboxes: [alex@outreach-example.com]
  guards:
    - metric: bounce_rate
      threshold: 5
      min_sent: 100
settings:
  rate_limit_profile: pro
"""

SIMPLE_STEP = """\
sequence:
  - delay_days: 0
    subject: Quick question
    body: <p>Hello there.</p>
"""

AB_STEP = """\
sequence:
  # The opener: two subject lines under test.
  - delay_days: 0
    variants:
      - label: A
        subject: Quick question
        body: <p>Hello there.</p>
      - label: B   # the challenger
        subject: An idea for your team
        body: <p>Hello there.</p>
    ab_test:
      metric: reply_rate
      min_sends: 200
      confidence: 95
      on_winner: {on_winner}
  - delay_days: 3
    subject: ""
    body: <p>Bumping this.</p>
"""


def write_project(root: Path, campaigns: dict[str, str]) -> Path:
    """`campaigns/` under `root` with the project file and one file per campaign (file stem ->
    YAML after the name line); returns the project directory."""
    project = root / "campaigns"
    project.mkdir(parents=True, exist_ok=True)
    (project / "smartlead-sync.yaml").write_text(PROJECT_FILE)
    for stem, body in campaigns.items():
        (project / f"{stem}.yaml").write_text(f"name: {stem}\n{body}")
    return project


@contextmanager
def embedded(project: Path) -> Iterator[Emulator]:
    """The account `--emulator` uses for this project, opened in this process."""
    emulator = Emulator(
        EmulatorConfig(time_scale=FAST), state_path=state_dir(project) / EMULATOR_ACCOUNT
    )
    try:
        yield emulator
    finally:
        emulator.close()


def live_campaigns(emulator: Emulator) -> dict[str, tuple[int, str]]:
    """name -> (id, status) of every campaign in the account."""
    with provider_on(emulator) as provider:
        return {s.name: (s.id, s.status.value) for s in provider.list_campaigns()}
