"""Offline checks of a loaded project: what would fail or misfire in Smartlead, found before
any call is made. Every problem names the file and line (or CSV row) to fix."""

from __future__ import annotations

from collections.abc import Iterator

from smartlead_sync.desired.emails import EmailChecker
from smartlead_sync.desired.lead_checks import check_leads, cross_campaign_leads
from smartlead_sync.desired.models import DesiredStatus
from smartlead_sync.desired.positions import Pos
from smartlead_sync.desired.project import CampaignSource, DesiredProject
from smartlead_sync.desired.text_checks import check_characters
from smartlead_sync.desired.variables import check_variables
from smartlead_sync.errors import Problem, Severity


def check_project(project: DesiredProject) -> list[Problem]:
    """Every offline problem of every loaded campaign, sorted by file and line."""
    emails = EmailChecker()
    problems: list[Problem] = []
    for campaign in project.campaigns:
        source = project.sources.get(campaign.source)
        if source is None:
            continue
        problems += check_campaign(source, emails)
        problems += check_variables(source, campaign)
        problems += check_characters(source)
        problems += check_leads(source, emails)
    problems += unique_names(project)
    problems += cross_campaign_leads(project)
    return sort_problems(problems)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.column or 0))


def check_campaign(source: CampaignSource, emails: EmailChecker) -> list[Problem]:
    return [
        *_status(source),
        *_sequence(source),
        *_mailboxes(source, emails),
        *_webhooks(source),
    ]


def _status(source: CampaignSource) -> Iterator[Problem]:
    model = source.model
    where = source.at("status")
    if model.status is DesiredStatus.STOPPED and not model.allow_stop:
        yield where.problem(
            "status: stopped is permanent in Smartlead (it cannot be started again)",
            hint="add `allow_stop: true` to confirm, or use `paused`",
            code="stop-needs-opt-in",
        )
    if model.status is not DesiredStatus.ACTIVE:
        return
    # START needs a schedule, a step and a mailbox (smartlead-api.md §3.6).
    missing = []
    if model.schedule is None:
        missing.append("a schedule")
    if not model.sequence:
        missing.append("at least one sequence step")
    if not model.mailboxes:
        missing.append("at least one mailbox")
    if missing:
        yield where.problem(
            f"an active campaign needs {', '.join(missing)}: Smartlead refuses to start it",
            hint="add them, or set `status: drafted` until they are ready",
            code="start-precondition",
        )


def _sequence(source: CampaignSource) -> Iterator[Problem]:
    sequence = source.model.sequence or ()
    if not sequence:
        return
    first = sequence[0]
    if not first.variants and not first.subject:
        yield _subject_pos(source, ("sequence", 0)).problem(
            "step 1 needs a subject: an empty subject means a reply in the same thread",
            code="step1-subject",
        )
    for j, variant in enumerate(first.variants):
        if not variant.subject:
            yield _subject_pos(source, ("sequence", 0, "variants", j)).problem(
                f"step 1 variant {variant.label} needs a subject", code="step1-subject"
            )


def _subject_pos(source: CampaignSource, loc: tuple[int | str, ...]) -> Pos:
    return source.at(*loc, "subject")


def _mailboxes(source: CampaignSource, checker: EmailChecker) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, mailbox in enumerate(source.model.mailboxes or ()):
        reason = checker.problem(mailbox.strip())
        if reason:
            yield source.at("mailboxes", i).problem(
                f"mailbox {mailbox!r}: {reason}", code="bad-email"
            )
        if mailbox.strip().lower() in seen:
            yield source.at("mailboxes", i).problem(
                f"mailbox {mailbox} is listed twice",
                code="duplicate-mailbox",
                severity=Severity.WARNING,
            )
        seen.add(mailbox.strip().lower())


def _webhooks(source: CampaignSource) -> Iterator[Problem]:
    names: set[str] = set()
    for i, hook in enumerate(source.model.webhooks or ()):
        if not hook.categories:
            yield source.at("webhooks", i).problem(
                f"webhook {hook.name!r} needs at least one lead category: Smartlead rejects "
                "an empty list",
                hint="for example `categories: [Interested]`",
                code="webhook-categories",
            )
        if hook.name in names:
            yield source.at("webhooks", i, "name").problem(
                f"two webhooks are named {hook.name!r}: names identify webhooks",
                code="duplicate-webhook",
            )
        names.add(hook.name)


def unique_names(project: DesiredProject) -> list[Problem]:
    """Campaign identity is (client_id, name), or an `id:` pin: both must be unique."""
    problems = []
    by_name: dict[tuple[int | None, str], str] = {}
    by_id: dict[int, str] = {}
    for source in project.sources.values():
        model = source.model
        key = (model.client_id, model.name)
        client = f" (client {model.client_id})" if model.client_id is not None else ""
        if key in by_name:
            problems.append(
                source.at("name").problem(
                    f"campaign name {model.name!r}{client} is also used by {by_name[key]}",
                    hint="campaigns are matched by name per client: rename one",
                    code="duplicate-name",
                )
            )
        by_name.setdefault(key, source.path)
        if model.id is not None:
            if model.id in by_id:
                problems.append(
                    source.at("id").problem(
                        f"campaign id {model.id} is also pinned by {by_id[model.id]}",
                        code="duplicate-id",
                    )
                )
            by_id.setdefault(model.id, source.path)
    return problems
