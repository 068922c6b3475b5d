"""`validate` on a generated repository: 1,000 campaigns and 200,000 leads at scale 1.

Runs the real CLI in a child process and reports its wall time and peak memory (max RSS).
SMARTLEAD_BENCH_SCALE scales the repository (campaigns and leads together); the default is
the full size. Targets (2-core machine): under 20 s and 1 GiB at scale 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.benchmarks.conftest import Report
from tests.cli_process import REPO_ROOT

SCALE = float(os.environ.get("SMARTLEAD_BENCH_SCALE", "1"))
CAMPAIGNS = max(1, round(1000 * SCALE))
LEADS_PER_CAMPAIGN = 200
DOMAINS = 20_000  # 10 leads per company domain; each distinct domain is validated once

TEMPLATE = """\
status: drafted
schedule:
  timezone: Europe/Berlin
  days: [monday, tuesday, wednesday, thursday, friday]
  start: "09:00"
  end: "17:00"
  minutes_between_emails: 10
  max_new_leads_per_day: 50
sequence:
  - delay_days: 0
    variants:
      - label: A
        subject: "{Quick question|A thought} for {{company_name}}"
        body: "<p>Hi {{first_name}},</p><p>As {{Job Title}} you know {{pain}}.</p>"
      - label: B
        subject: "{{first_name}}, about {{pain}}"
        body: "<p>Hello {{first_name}},</p><p>%signature%</p>"
  - delay_days: 3
    subject: ""
    body: "<p>{{first_name}}, bumping this.</p><p>%sender-firstname%</p>"
  - delay_days: 4
    subject: "Closing the loop"
    body: "<p>Last note for {{company_name}}.</p><p>%unsubscribe-text%</p>"
"""

CAMPAIGN = """\
# yaml-language-server: $schema=.schema/campaign.schema.json
extends: templates/standard.yaml
name: Campaign {n:04d}
client_id: {client}
status: active
mailboxes: [sender{m}@outreach-example.com]
leads:
  sources:
    - csv: leads/c{n:04d}.csv
      columns: {{company_name: Company}}
"""


def generate_repository(root: Path, campaigns: int, leads_per_campaign: int) -> int:
    """Write `campaigns` campaign files sharing one template, each with its own lead CSV;
    returns the number of leads written."""
    (root / "templates").mkdir(parents=True)
    (root / "leads").mkdir()
    (root / "templates" / "standard.yaml").write_text(TEMPLATE)
    lead = 0
    for n in range(campaigns):
        (root / f"c{n:04d}.yaml").write_text(CAMPAIGN.format(n=n, client=n % 50 + 1, m=n % 7))
        rows = ["email,first_name,last_name,Company,Job Title,pain"]
        for _ in range(leads_per_campaign):
            domain = f"company{lead % DOMAINS}.example.com"
            rows.append(
                f"person{lead}@{domain},Name{lead},Last{lead},"
                f'"Company {lead % DOMAINS}, Inc.",Head of Growth,slow replies'
            )
            lead += 1
        (root / "leads" / f"c{n:04d}.csv").write_text("\n".join(rows) + "\n")
    return lead


def _run_measured(args: list[str]) -> tuple[int, str, float, float, float]:
    """Exit code, stdout, wall seconds, CPU seconds and peak RSS in MiB of one child."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    out_path = Path(args[-1]).parent / "validate-output.json"
    with out_path.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "smartlead_sync", *args], stdout=out, env=env
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak_mib = usage.ru_maxrss / 1024  # KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime
    return proc.returncode, out_path.read_text(), seconds, cpu, peak_mib


@pytest.mark.benchmark
@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 (POSIX)")
def test_validate_large_repository(tmp_path: Path, report: Report) -> None:
    root = tmp_path / "campaigns"
    leads = generate_repository(root, CAMPAIGNS, LEADS_PER_CAMPAIGN)
    args = ["validate", "--format", "json", str(root)]
    code, output, seconds, cpu, peak_mib = _run_measured(args)
    result = json.loads(output)
    report(
        f"validate: {CAMPAIGNS} campaigns, {leads} leads (scale {SCALE:g}): "
        f"{seconds:.1f} s wall, {cpu:.1f} s CPU, {peak_mib:.0f} MiB peak RSS, "
        f"{leads / seconds:,.0f} leads/s (targets at scale 1: < 20 s, < 1024 MiB)"
    )
    assert code == 0, result["problems"][:5]
    assert sum(c["leads"] for c in result["campaigns"]) == leads
    assert len(result["campaigns"]) == CAMPAIGNS
