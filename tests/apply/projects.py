"""Generated campaign repositories for apply tests and benchmarks (fictional people only)."""

from __future__ import annotations

import csv
from pathlib import Path

PROJECT_FILE = """\
defaults:
  schedule:
    timezone: America/New_York
    days: [monday, tuesday, wednesday, thursday, friday]
    start: "09:00"
    end: "17:00"
    minutes_between_emails: 10
    max_new_leads_per_day: 50
  settings:
    track: [clicks, replies]
    stop_on: reply
    follow_up_percentage: 40
settings:
  rate_limit_profile: strict
  lead_batch_size: 100
  max_concurrent_campaigns: 4
"""

MAILBOXES = ("alex@outreach-example.com", "sam@outreach-example.com")


def campaign_name(index: int) -> str:
    return f"Generated campaign {index:02d}"


def lead_email(campaign: int, row: int) -> str:
    return f"person{row:05d}.c{campaign:02d}@lead-example.com"


def campaign_yaml(index: int, *, status: str = "active", subject: str = "Quick question") -> str:
    return f"""\
name: {campaign_name(index)}
status: {status}
sequence:
  - delay_days: 0
    subject: "{subject}, {{{{first_name}}}}"
    body: |
      <p>Hi {{{{first_name}}}}, how is {{{{company_name}}}} handling {{{{pain_point}}}}?</p>
  - delay_days: 3
    subject: ""
    body: <p>Bumping this, {{{{first_name}}}}.</p>
mailboxes: [{", ".join(MAILBOXES)}]
webhooks:
  - name: Replies
    url: https://hooks.example.com/generated/{index}
    events: [EMAIL_REPLY]
    categories: [Interested]
leads:
  sources:
    - csv: leads/campaign-{index:02d}.csv
"""


def write_leads(root: Path, index: int, count: int, *, start: int = 0) -> None:
    path = root / "leads" / f"campaign-{index:02d}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["email", "first_name", "company_name", "pain_point"])
        for row in range(start, start + count):
            writer.writerow(
                [lead_email(index, row), f"Pat{row}", f"Company {row % 97}", "slow onboarding"]
            )


def write_project(
    root: Path,
    *,
    campaigns: int,
    leads: int,
    status: str = "active",
    subject: str = "Quick question",
) -> Path:
    """`campaigns` campaign files with `leads` leads each; returns the project folder."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "smartlead-sync.yaml").write_text(PROJECT_FILE, encoding="utf-8")
    for index in range(campaigns):
        text = campaign_yaml(index, status=status, subject=subject)
        (root / f"campaign-{index:02d}.yaml").write_text(text, encoding="utf-8")
        write_leads(root, index, leads)
    return root
