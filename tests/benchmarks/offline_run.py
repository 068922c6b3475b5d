"""Child process of the offline benchmark: validate + plan of a generated repository.

`python -m tests.benchmarks.offline_run ROOT` loads and checks the project as `validate` does,
then plans it against an in-memory account where every campaign exists with its leads (the
no-op plan, which diffs every lead), and prints one JSON line: CPU seconds of each phase, and
the peak resident memory of the process at the end of validate and at the end.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from smartlead_sync.cli.memory import long_lived
from smartlead_sync.cli.options import checked_project
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.state import CampaignPart, CampaignState, CampaignSummary, Mailbox, Status


class MemoryAccount:
    """Every desired campaign as Smartlead would show it after an apply (ids, same leads)."""

    def __init__(self, campaigns: Collection[CampaignState], mailboxes: list[Mailbox]) -> None:
        self.campaigns: dict[int, CampaignState] = {}
        for number, state in enumerate(campaigns, start=3_000_000):
            leads = {
                k: replace(v, id=2**31 + i) for i, (k, v) in enumerate((state.leads or {}).items())
            }
            self.campaigns[number] = replace(state, id=number, leads=leads)
        self.mailboxes = mailboxes

    def list_campaigns(self) -> list[CampaignSummary]:
        return [
            CampaignSummary(i, c.name, c.client_id, c.status or Status.DRAFTED)
            for i, c in self.campaigns.items()
        ]

    def list_mailboxes(self) -> list[Mailbox]:
        return self.mailboxes

    def read_parts(self, campaign_id: int, parts: Collection[CampaignPart]) -> CampaignState:
        live = self.campaigns[campaign_id]
        return replace(live, **{p.value: None for p in CampaignPart if p not in parts})  # type: ignore[arg-type]


def main() -> None:
    root = Path(sys.argv[1])
    cpu = time.process_time()
    project, problems = checked_project(root, ())
    validate_cpu = time.process_time() - cpu
    validate_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    errors = [p for p in problems if p.severity.value == "error"]
    emails = sorted({e for c in project.campaigns for e in c.state.mailboxes or ()})
    mailboxes = [Mailbox(900 + i, e) for i, e in enumerate(emails)]
    account = MemoryAccount([c.state for c in project.campaigns], mailboxes)
    cpu = time.process_time()
    with long_lived():  # as `plan` does
        plan = make_plan(account, project.campaigns, project.tool)
    plan_cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    leads = sum(len(c.state.leads or {}) for c in project.campaigns)
    print(
        json.dumps(
            {
                "campaigns": len(project.campaigns),
                "leads": leads,
                "errors": len(errors),
                "validate_cpu": validate_cpu,
                "plan_cpu": plan_cpu,
                "plan_has_changes": plan.has_changes,
                "validate_peak_mib": validate_peak,
                "peak_mib": peak,
                "pid": os.getpid(),
            }
        )
    )


if __name__ == "__main__":
    main()
