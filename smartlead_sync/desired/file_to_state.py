"""Campaign file models -> the normalized `state.CampaignState` shared with the live side.

YAML spellings end here: day names become 0 = Sunday .. 6 (smartlead-api.md §3.8), tracking
words become booleans, status words become `Status`. reverse.py goes the other way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smartlead_sync.campaign_settings_table import CAMPAIGN_SETTINGS, Nested, Tracking
from smartlead_sync.desired.lead_sources import LeadSet
from smartlead_sync.desired.models import (
    DAY_NAMES,
    CampaignFile,
    ScheduleModel,
    SettingsModel,
    StepModel,
    VariantModel,
    WebhookModel,
)
from smartlead_sync.state import (
    CampaignSettings,
    CampaignState,
    DesiredCampaign,
    Distribution,
    LeadPolicy,
    OutOfOffice,
    Schedule,
    Status,
    Step,
    Variant,
    Webhook,
)

DAY_NUMBER: dict[str, int] = {name: number for number, name in enumerate(DAY_NAMES)}


def desired_campaign(
    model: CampaignFile, source: str, bodies: Mapping[str, str], leads: LeadSet | None
) -> DesiredCampaign:
    """The normalized campaign. `bodies` holds the text of every `body_file` by its YAML value."""
    policy = LeadPolicy()
    allow_blank: tuple[str, ...] = ()
    if model.leads is not None:
        upload = model.leads.upload
        policy = LeadPolicy(
            ignore_global_block_list=upload.ignore_global_block_list,
            ignore_unsubscribe_list=upload.ignore_unsubscribe_list,
            ignore_community_bounce_list=upload.ignore_community_bounce_list,
            other_campaign_duplicates=upload.other_campaign_duplicates,
            prune=model.leads.prune,
        )
        allow_blank = model.leads.allow_blank
    return DesiredCampaign(
        state=campaign_state(model, bodies, leads),
        source=source,
        previous_names=model.previous_names,
        lead_policy=policy,
        allow_blank=allow_blank,
        allow_stop=model.allow_stop,
        delete=model.delete,
        safety=model.safety.thresholds() if model.safety else None,
        lead_sources_digest=leads.digest if leads is not None else None,
        guards=model.guards,
    )


def campaign_state(
    model: CampaignFile, bodies: Mapping[str, str], leads: LeadSet | None
) -> CampaignState:
    sequence = None
    if model.sequence is not None:
        sequence = tuple(_step(i + 1, step, bodies) for i, step in enumerate(model.sequence))
    mailboxes = None
    if model.mailboxes is not None:
        mailboxes = tuple(sorted({m.strip().lower() for m in model.mailboxes}))
    return CampaignState(
        name=model.name,
        client_id=model.client_id,
        id=model.id,
        status=Status(model.status.value) if model.status is not None else None,
        settings=_settings(model.settings) if model.settings is not None else CampaignSettings(),
        schedule=_schedule(model.schedule) if model.schedule is not None else None,
        sequence=sequence,
        mailboxes=mailboxes,
        webhooks=_webhooks(model.webhooks) if model.webhooks is not None else None,
        leads=dict(leads.leads) if leads is not None and model.leads is not None else None,
    )


def _schedule(s: ScheduleModel) -> Schedule:
    return Schedule(
        timezone=s.timezone,
        days=tuple(sorted(DAY_NUMBER[d] for d in s.days)),
        start_hour=s.start,
        end_hour=s.end,
        min_time_between_emails=s.minutes_between_emails,
        max_new_leads_per_day=s.max_new_leads_per_day,
        start_time=s.start_at,
    )


def _webhooks(hooks: tuple[WebhookModel, ...]) -> tuple[Webhook, ...]:
    mapped = (
        Webhook(
            w.name,
            w.url,
            tuple(sorted(e.value for e in w.events)),
            tuple(sorted(w.categories)),
        )
        for w in hooks
    )
    return tuple(sorted(mapped, key=lambda w: w.name))


def _settings(model: SettingsModel) -> CampaignSettings:
    """Each table entry's file value -> its state field(s)."""
    values: dict[str, Any] = {}
    for setting in CAMPAIGN_SETTINGS:
        value = getattr(model, setting.yaml)
        match setting.codec:
            case Tracking(flags):
                values.update({f.field: None if value is None else f.word in value for f in flags})
            case Nested(parts):
                values[setting.state_fields[0]] = (
                    None
                    if value is None
                    else OutOfOffice(**{p.state: getattr(value, p.yaml) for p in parts})
                )
            case _:
                values[setting.state_fields[0]] = value
    return CampaignSettings(**values)


def _body(item: StepModel | VariantModel, bodies: Mapping[str, str]) -> str:
    if item.body is not None:
        return item.body
    return bodies.get(item.body_file or "", "")


def implied_distribution(step: StepModel) -> Distribution | None:
    """Variants with percentages split by percentage, variants without split equally."""
    if step.distribution is not None or not step.variants:
        return step.distribution
    if step.variants[0].percentage is not None:
        return Distribution.PERCENTAGE
    return Distribution.EQUAL


def _step(number: int, step: StepModel, bodies: Mapping[str, str]) -> Step:
    if step.variants:
        variants = tuple(
            Variant(v.label, v.subject, _body(v, bodies), v.percentage) for v in step.variants
        )
        return Step(
            number=number,
            delay_days=step.delay_days,
            variants=variants,
            distribution=implied_distribution(step),
            winning_metric=step.winning_metric,
            lead_distribution_percentage=step.lead_distribution_percentage,
        )
    return Step(
        number=number,
        delay_days=step.delay_days,
        subject=step.subject or "",
        body=_body(step, bodies),
    )
