"""`doctor`: is this account ready for smartlead-sync? Each check is a line with a verdict.

The key (a 401/403 means a wrong key or a plan without API access: Pro or higher), the
response time of a read against a threshold, the rate-limit headers Smartlead sends, the
mailboxes the files name, and each declared campaign's status and lead counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from smartlead_sync.health.analytics_counts import Period
from smartlead_sync.plan.identity import resolve_identities
from smartlead_sync.smartlead.api_errors import ApiError, AuthError
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import CampaignSummary, DesiredCampaign, Status

RATE_LIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
PLAN_HINT = (
    "Smartlead gives API access on paid plans (the Pro plan or higher): check the key under "
    "Settings > API key, and the account's plan"
)


class Level(str, Enum):
    OK = "ok"
    WARN = "warn"  # worth knowing; not a failure
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    name: str
    level: Level
    detail: str
    hint: str | None = None


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)

    def add(self, name: str, level: Level, detail: str, hint: str | None = None) -> None:
        self.checks.append(Check(name, level, detail, hint))

    @property
    def failed(self) -> bool:
        return any(c.level is Level.FAIL for c in self.checks)


HeaderLog = Callable[[], Mapping[str, str]]  # the rate-limit headers seen so far


def check_account(
    provider: SmartleadProvider,
    desired: Sequence[DesiredCampaign],
    *,
    max_seconds: float,
    headers_seen: HeaderLog,
    lifetime: Period,
    report: DoctorReport,
) -> None:
    """Run every check in order; a refused key stops the rest (they would all fail alike)."""
    started = time.perf_counter()
    try:
        summaries = provider.list_campaigns()
    except AuthError as exc:
        report.add("API key", Level.FAIL, f"refused (HTTP {exc.status})", PLAN_HINT)
        return
    except ApiError as exc:
        report.add("API key", Level.FAIL, f"could not be checked: {exc.message}", exc.hint)
        return
    seconds = time.perf_counter() - started
    report.add("API key", Level.OK, f"accepted ({len(summaries)} campaign(s) in the account)")
    _response_time(seconds, max_seconds, report)
    _rate_limit_headers(headers_seen(), report)
    try:
        _mailboxes(provider, desired, report)
        _campaigns(provider, desired, summaries, lifetime, report)
    except ApiError as exc:
        report.add("Account reads", Level.FAIL, exc.message, exc.hint)


def _response_time(seconds: float, max_seconds: float, report: DoctorReport) -> None:
    level = Level.OK if seconds <= max_seconds else Level.FAIL
    hint = (
        None if level is Level.OK else "check the network; raise --max-seconds if it is normal here"
    )
    report.add(
        "Response time",
        level,
        f"{seconds:.2f} s for the campaign list (limit {max_seconds:g} s)",
        hint,
    )


def _rate_limit_headers(seen: Mapping[str, str], report: DoctorReport) -> None:
    if not seen:
        report.add(
            "Rate-limit headers",
            Level.WARN,
            "none seen; the configured rate_limit_profile alone paces the calls",
        )
        return
    shown = ", ".join(f"{name}: {seen[name]}" for name in RATE_LIMIT_HEADERS if name in seen)
    report.add("Rate-limit headers", Level.OK, shown)


def _mailboxes(
    provider: SmartleadProvider, desired: Iterable[DesiredCampaign], report: DoctorReport
) -> None:
    named = sorted({m.strip().lower() for d in desired for m in d.state.mailboxes or ()})
    if not named:
        report.add("Mailboxes", Level.OK, "the files name no mailbox")
        return
    have = {m.email.lower() for m in provider.list_mailboxes()}
    missing = [m for m in named if m not in have]
    if missing:
        report.add(
            "Mailboxes",
            Level.FAIL,
            f"{len(missing)} of {len(named)} named in the files are not in the account: "
            + ", ".join(missing),
            "connect them in Smartlead, or fix the addresses in the files",
        )
    else:
        report.add("Mailboxes", Level.OK, f"all {len(named)} named in the files exist")


def _campaigns(
    provider: SmartleadProvider,
    desired: Sequence[DesiredCampaign],
    summaries: Sequence[CampaignSummary],
    period: Period,
    report: DoctorReport,
) -> None:
    resolution = resolve_identities(desired, summaries)
    for problem in resolution.problems:
        report.add("Campaign identity", Level.FAIL, problem.message, problem.hint)
    for match in resolution.matches:
        name = match.desired.state.name
        if match.live is None:
            report.add(f"Campaign '{name}'", Level.OK, "not in Smartlead yet: apply creates it")
            continue
        live = match.live
        stats = provider.read_counts(live.id, period).lead_stats
        leads = _leads(stats)
        want = match.desired.state.status
        level = Level.OK
        detail = f"id {live.id}, {live.status.value}, {leads}"
        if (
            want is not None
            and want is not live.status
            and not (want is Status.ACTIVE and live.status is Status.COMPLETED)
        ):
            level = Level.WARN
            detail += f"; the files say {want.value} (plan shows the change, or a guard holds it)"
        report.add(f"Campaign '{name}'", level, detail)


def _leads(stats: Mapping[str, int]) -> str:
    total = stats.get("total")
    if total is None:
        return "lead counts not given"
    parts = [
        f"{stats[k]} {label}"
        for k, label in (
            ("inprogress", "in progress"),
            ("completed", "completed"),
            ("notStarted", "not started"),
            ("paused", "paused"),
            ("blocked", "blocked"),
        )
        if stats.get(k)
    ]
    return f"{total} lead(s)" + (f" ({', '.join(parts)})" if parts else "")
