"""The apply report: per campaign what changed and what did not, calls, 429s, waits, leads.

Plain data filled in by the executor; rendered as text for people and as JSON for machines
(`--format json`, `--report FILE`). Lead emails appear only masked, with the file:row they
came from so the user can find the row without the report carrying PII.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from smartlead_sync.errors import ExitCode
from smartlead_sync.smartlead.lead_wire import SkipReason

REPORT_FORMAT_VERSION = 1


class CampaignOutcome(str, Enum):
    APPLIED = "applied"  # every planned change was made
    UNCHANGED = "unchanged"  # the plan had nothing for it
    FAILED = "failed"  # a step failed; later steps were not attempted
    INTERRUPTED = "interrupted"  # stopped by Ctrl-C after the call in flight
    NOT_STARTED = "not_started"  # the run stopped before this campaign began


# Reasons that mean the apply did not do its job, as opposed to Smartlead refusing bad data.
# (UNKNOWN is settled by the final re-read: present there, or reported as residual drift.)
FAILING_SKIPS = frozenset({SkipReason.CREDIT_LIMIT, SkipReason.NOT_SENT})


@dataclass(frozen=True, slots=True)
class SkippedLead:
    masked_email: str
    reason: SkipReason
    source: str | None = None  # "leads/q3.csv:12"


@dataclass
class LeadTally:
    """Leads sent in add batches and what became of each."""

    sent: int = 0
    attached: int = 0
    already_present: int = 0  # attached by an earlier, interrupted attempt (§5.2 dedupe)
    skipped: list[SkippedLead] = field(default_factory=list)
    updated: int = 0
    removed: int = 0

    def by_reason(self) -> dict[str, int]:
        return dict(Counter(s.reason.value for s in self.skipped))


@dataclass
class CallStats:
    """API calls made, per rate-limit bucket, with 429s received and seconds spent waiting."""

    calls: dict[str, int] = field(default_factory=dict)
    rate_limited: int = 0
    waited_seconds: float = 0.0

    @property
    def total(self) -> int:
        """Every call counts against the global bucket, so its count is the number of calls."""
        return self.calls.get("global", 0)


@dataclass(frozen=True, slots=True)
class StepRecord:
    kind: str
    summary: str
    ok: bool
    detail: str | None = None


@dataclass
class CampaignReport:
    name: str
    source: str | None = None
    campaign_id: int | None = None
    outcome: CampaignOutcome = CampaignOutcome.NOT_STARTED
    done: list[StepRecord] = field(default_factory=list)
    not_done: list[str] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    leads: LeadTally = field(default_factory=LeadTally)
    calls: CallStats = field(default_factory=CallStats)

    @property
    def failed(self) -> bool:
        if self.outcome in (CampaignOutcome.FAILED, CampaignOutcome.INTERRUPTED):
            return True
        return any(s.reason in FAILING_SKIPS for s in self.leads.skipped)


@dataclass
class ApplyReport:
    campaigns: list[CampaignReport] = field(default_factory=list)
    totals: CallStats = field(default_factory=CallStats)  # every call of the command
    planning: CallStats | None = None  # the reads that built the plan, before any write
    duration_seconds: float = 0.0
    floor_seconds: float | None = None  # the rate-limit floor of the plan, for comparison
    interrupted: bool = False
    converged: bool | None = None  # None: the final re-read was not made
    # Why the final re-read did not finish although every write was done (Ctrl-C, SIGTERM,
    # an API failure): the writes stand, convergence is not verified.
    unverified: str | None = None
    residual_drift: list[str] = field(default_factory=list)
    reread: CallStats | None = None  # the final re-read that checks convergence
    journal: str | None = None

    @property
    def exit_code(self) -> ExitCode:
        failed = self.interrupted or any(c.failed for c in self.campaigns)
        unsure = self.converged is False or self.unverified is not None
        return ExitCode.ERROR if failed or unsure else ExitCode.OK

    def to_json(self) -> dict[str, object]:
        """The stable JSON form (documented in README, `apply --format json`)."""
        return {
            "format_version": REPORT_FORMAT_VERSION,
            "exit_code": int(self.exit_code),
            "interrupted": self.interrupted,
            "converged": self.converged,
            "unverified": self.unverified,
            "residual_drift": list(self.residual_drift),
            "duration_seconds": round(self.duration_seconds, 3),
            "floor_seconds": None if self.floor_seconds is None else round(self.floor_seconds, 3),
            "journal": self.journal,
            "totals": _calls_json(self.totals),
            "planning": None if self.planning is None else _calls_json(self.planning),
            "reread": None if self.reread is None else _calls_json(self.reread),
            "campaigns": [_campaign_json(c) for c in self.campaigns],
        }


def _calls_json(stats: CallStats) -> dict[str, object]:
    return {
        "calls": dict(sorted(stats.calls.items())),
        "total_calls": stats.total,
        "rate_limited": stats.rate_limited,
        "waited_seconds": round(stats.waited_seconds, 3),
    }


def _campaign_json(c: CampaignReport) -> dict[str, object]:
    return {
        "name": c.name,
        "id": c.campaign_id,
        "source": c.source,
        "outcome": c.outcome.value,
        "error": c.error,
        "done": [
            {"kind": s.kind, "summary": s.summary, "ok": s.ok, "detail": s.detail} for s in c.done
        ],
        "not_done": list(c.not_done),
        "notes": list(c.notes),
        "leads": {
            "sent": c.leads.sent,
            "attached": c.leads.attached,
            "already_present": c.leads.already_present,
            "updated": c.leads.updated,
            "removed": c.leads.removed,
            "skipped_by_reason": c.leads.by_reason(),
            "skipped": [
                {"email": s.masked_email, "reason": s.reason.value, "source": s.source}
                for s in c.leads.skipped
            ],
        },
        "calls": _calls_json(c.calls),
    }
