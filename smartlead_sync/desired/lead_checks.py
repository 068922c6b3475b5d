"""Lead checks: email syntax, duplicates inside a campaign, the same lead in two campaigns.

Messages point at `file.csv:row` and mask addresses (`j***@acme.com`): validate output ends up
in CI logs, which are often more public than the lead files.
"""

from __future__ import annotations

from collections.abc import Iterable

from smartlead_sync.desired.emails import EmailChecker
from smartlead_sync.desired.project import CampaignSource, DesiredProject
from smartlead_sync.errors import Problem, Severity
from smartlead_sync.state import DesiredCampaign, Lead, OtherCampaignDuplicates

MAX_LEAD_PROBLEMS = 20  # per campaign and kind; a summary line counts the rest
MAX_CUSTOM_FIELDS = 200  # per lead (smartlead-api.md §5.1)
FIRST_ROWS = 5


def mask_email(email: str) -> str:
    """`jane.doe@acme.com` -> `j***@acme.com`."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else f"{email[:1]}***"


def at_row(
    lead: Lead,
    message: str,
    *,
    code: str,
    severity: Severity = Severity.ERROR,
    hint: str | None = None,
) -> Problem:
    file, _, line = (lead.source or "").rpartition(":")
    if not line.isdigit():
        return Problem(message, lead.source, None, None, severity, code, hint)
    return Problem(message, file, int(line), None, severity, code, hint)


def check_leads(source: CampaignSource, emails: EmailChecker) -> list[Problem]:
    if source.leads is None:
        return []
    problems: list[Problem] = []
    bad = [
        (lead, reason)
        for lead in source.leads.leads.values()
        if (reason := emails.problem(lead.email))
    ]
    problems += _capped(
        (
            at_row(lead, f"invalid email {mask_email(lead.email)}: {reason}", code="bad-email")
            for lead, reason in bad
        ),
        len(bad),
        "invalid emails",
        source.path,
    )
    crowded = [
        lead for lead in source.leads.leads.values() if len(lead.custom_fields) > MAX_CUSTOM_FIELDS
    ]
    problems += _capped(
        (
            at_row(
                lead,
                f"{len(lead.custom_fields)} custom fields: Smartlead takes at most "
                f"{MAX_CUSTOM_FIELDS}",
                code="too-many-fields",
            )
            for lead in crowded
        ),
        len(crowded),
        "leads with too many custom fields",
        source.path,
    )
    problems += _duplicates(source)
    return problems


def _duplicates(source: CampaignSource) -> list[Problem]:
    assert source.leads is not None
    found = []
    for later, first in source.leads.duplicates:
        same = _data(later) == _data(first)
        found.append(
            at_row(
                later,
                f"duplicate lead {mask_email(later.email)} (first at {first.source})"
                + ("" if same else " with different data: only the first is used"),
                code="duplicate-lead",
                severity=Severity.WARNING if same else Severity.ERROR,
                hint=None if same else "keep one row per email",
            )
        )
    return _capped(iter(found), len(found), "duplicate leads", source.path)


def _data(lead: Lead) -> tuple[object, ...]:
    return (
        lead.email.lower(),
        lead.first_name,
        lead.last_name,
        lead.company_name,
        lead.phone_number,
        lead.website,
        lead.location,
        lead.linkedin_profile,
        lead.company_url,
        lead.custom_fields,
    )


def _capped(problems: Iterable[Problem], total: int, what: str, file: str) -> list[Problem]:
    kept: list[Problem] = []
    for problem in problems:
        if len(kept) == MAX_LEAD_PROBLEMS:
            break
        kept.append(problem)
    if total > MAX_LEAD_PROBLEMS:
        severity = kept[-1].severity if kept else Severity.ERROR
        kept.append(
            Problem(
                f"... {total - MAX_LEAD_PROBLEMS} more {what}", file, severity=severity, code="more"
            )
        )
    return kept


def cross_campaign_leads(project: DesiredProject) -> list[Problem]:
    """A lead in two campaigns is skipped by the one uploaded second when either campaign
    says `other_campaign_duplicates: skip` (§5.2): the plan would never converge."""
    first_seen: dict[str, DesiredCampaign] = {}
    pairs: dict[tuple[str, str], list[Lead]] = {}
    for campaign in project.campaigns:
        source = project.sources.get(campaign.source)
        if source is None or source.leads is None:
            continue
        for key, lead in source.leads.leads.items():
            prior = first_seen.setdefault(key, campaign)
            if prior is campaign or not _either_skips(prior, campaign):
                continue
            pairs.setdefault((prior.source, campaign.source), []).append(lead)
    problems = []
    names = {c.source: c.state.name for c in project.campaigns}
    for (other, _), leads in pairs.items():
        path = project.sources[other].path
        rows = ", ".join(lead.source or "?" for lead in leads[:FIRST_ROWS])
        problems.append(
            at_row(
                leads[0],
                f"{len(leads)} lead(s) are also in campaign {names[other]!r} ({path}); with "
                f"other_campaign_duplicates: skip Smartlead adds each to only one of them "
                f"(first: {rows})",
                code="lead-in-two-campaigns",
                hint="keep each lead in one campaign, or set `other_campaign_duplicates: allow` "
                "in both",
            )
        )
    return problems


def _either_skips(a: DesiredCampaign, b: DesiredCampaign) -> bool:
    policies = (a.lead_policy.other_campaign_duplicates, b.lead_policy.other_campaign_duplicates)
    return OtherCampaignDuplicates.SKIP in policies
