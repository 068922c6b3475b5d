"""Campaign file models <-> the normalized `state.CampaignState` shared with the live side.

YAML spellings end here: day names become 0 = Sunday .. 6 (smartlead-api.md §3.8), tracking
words become booleans, status words become `Status`. The reverse direction writes a live
campaign as a campaign file, so that `import` followed by `plan` shows no change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smartlead_sync.desired.leads import LeadSet
from smartlead_sync.desired.models import (
    DAY_NAMES,
    CampaignFile,
    DesiredStatus,
    SettingsModel,
    StepModel,
    VariantModel,
    WebhookEvent,
)
from smartlead_sync.state import (
    CampaignState,
    DesiredCampaign,
    Distribution,
    LeadPolicy,
    OutOfOffice,
    Schedule,
    Settings,
    Status,
    Step,
    Variant,
    Webhook,
)

DAY_NUMBER: dict[str, int] = {name: number for number, name in enumerate(DAY_NAMES)}
_TRACK_FIELDS = (("opens", "track_opens"), ("clicks", "track_clicks"), ("replies", "track_replies"))


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
        lead_sources_digest=leads.digest if leads is not None else None,
    )


def campaign_state(
    model: CampaignFile, bodies: Mapping[str, str], leads: LeadSet | None
) -> CampaignState:
    schedule = None
    if model.schedule is not None:
        s = model.schedule
        schedule = Schedule(
            timezone=s.timezone,
            days=tuple(sorted(DAY_NUMBER[d] for d in s.days)),
            start_hour=s.start,
            end_hour=s.end,
            min_time_between_emails=s.minutes_between_emails,
            max_new_leads_per_day=s.max_new_leads_per_day,
            start_time=s.start_at,
        )
    sequence = None
    if model.sequence is not None:
        sequence = tuple(_step(i + 1, step, bodies) for i, step in enumerate(model.sequence))
    return CampaignState(
        name=model.name,
        client_id=model.client_id,
        id=model.id,
        status=Status(model.status.value) if model.status is not None else None,
        settings=_settings(model.settings) if model.settings is not None else Settings(),
        schedule=schedule,
        sequence=sequence,
        mailboxes=(
            tuple(sorted({m.strip().lower() for m in model.mailboxes}))
            if model.mailboxes is not None
            else None
        ),
        webhooks=(
            tuple(
                sorted(
                    (
                        Webhook(
                            w.name,
                            w.url,
                            tuple(sorted(e.value for e in w.events)),
                            tuple(sorted(w.categories)),
                        )
                        for w in model.webhooks
                    ),
                    key=lambda w: w.name,
                )
            )
            if model.webhooks is not None
            else None
        ),
        leads=dict(leads.leads) if leads is not None and model.leads is not None else None,
    )


def _settings(s: SettingsModel) -> Settings:
    track: dict[str, bool | None] = {attr: None for _, attr in _TRACK_FIELDS}
    if s.track is not None:
        track = {attr: word in s.track for word, attr in _TRACK_FIELDS}
    ooo = None
    if s.out_of_office is not None:
        o = s.out_of_office
        ooo = OutOfOffice(
            o.ignore_as_reply, o.auto_reactivate, o.reactivate_after_days, o.auto_categorize
        )
    return Settings(
        **track,
        stop_on=s.stop_on,
        send_as_plain_text=s.plain_text,
        follow_up_percentage=s.follow_up_percentage,
        unsubscribe_text=s.unsubscribe_text,
        ai_esp_matching=s.ai_esp_matching,
        force_plain_text=s.force_plain_text,
        auto_pause_domain_leads_on_reply=s.auto_pause_domain_leads_on_reply,
        ignore_ss_mailbox_sending_limit=s.ignore_ss_mailbox_sending_limit,
        domain_level_rate_limit=s.domain_level_rate_limit,
        add_unsubscribe_tag=s.add_unsubscribe_tag,
        bounce_autopause_threshold=s.bounce_autopause_threshold,
        out_of_office=ooo,
        ai_categorisation_options=s.ai_categorisation_options,
    )


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


# --- live state -> campaign file (for `import`) ---------------------------------------------


def campaign_file_from_state(state: CampaignState) -> CampaignFile:
    """A campaign file that loads back to `state` (bodies inline, leads as an inline list).

    Live-only statuses (completed, archived) are left unmanaged; a stopped campaign carries
    `allow_stop: true` so that the file validates. Unknown webhook event names are dropped.
    """
    doc: dict[str, Any] = {"name": state.name}
    if state.client_id is not None:
        doc["client_id"] = state.client_id
    if state.id is not None:
        doc["id"] = state.id
    if state.status is not None and state.status.value in DesiredStatus._value2member_map_:
        doc["status"] = state.status.value
        doc["allow_stop"] = state.status is Status.STOPPED
    settings = _settings_doc(state.settings)
    if settings:
        doc["settings"] = settings
    if state.schedule is not None:
        doc["schedule"] = _schedule_doc(state.schedule)
    if state.sequence is not None:
        doc["sequence"] = [_step_doc(step) for step in state.sequence]
    if state.mailboxes is not None:
        doc["mailboxes"] = list(state.mailboxes)
    if state.webhooks is not None:
        doc["webhooks"] = [_webhook_doc(w) for w in state.webhooks]
    if state.leads is not None:
        doc["leads"] = {"sources": [{"inline": [_lead_doc(lead) for lead in state.leads.values()]}]}
    return CampaignFile.model_validate(doc)


def _settings_doc(s: Settings) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    tracked = [(word, getattr(s, attr)) for word, attr in _TRACK_FIELDS]
    if any(value is not None for _, value in tracked):
        doc["track"] = [word for word, value in tracked if value]
    pairs: dict[str, Any] = {
        "stop_on": s.stop_on.value if s.stop_on is not None else None,
        "plain_text": s.send_as_plain_text,
        "follow_up_percentage": s.follow_up_percentage,
        "unsubscribe_text": s.unsubscribe_text,
        "ai_esp_matching": s.ai_esp_matching,
        "force_plain_text": s.force_plain_text,
        "auto_pause_domain_leads_on_reply": s.auto_pause_domain_leads_on_reply,
        "ignore_ss_mailbox_sending_limit": s.ignore_ss_mailbox_sending_limit,
        "domain_level_rate_limit": s.domain_level_rate_limit,
        "add_unsubscribe_tag": s.add_unsubscribe_tag,
        "bounce_autopause_threshold": s.bounce_autopause_threshold,
        "ai_categorisation_options": (
            list(s.ai_categorisation_options) if s.ai_categorisation_options is not None else None
        ),
    }
    if s.out_of_office is not None:
        o = s.out_of_office
        pairs["out_of_office"] = {
            "ignore_as_reply": o.ignore_ooo_as_reply,
            "auto_reactivate": o.auto_reactivate_ooo,
            "reactivate_after_days": o.reactivate_ooo_with_delay,
            "auto_categorize": o.auto_categorize_ooo,
        }
    doc.update({key: value for key, value in pairs.items() if value is not None})
    return doc


def _schedule_doc(s: Schedule) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "timezone": s.timezone,
        "days": [DAY_NAMES[d] for d in s.days],
        "start": s.start_hour,
        "end": s.end_hour,
        "minutes_between_emails": s.min_time_between_emails,
        "max_new_leads_per_day": s.max_new_leads_per_day,
    }
    if s.start_time is not None:
        doc["start_at"] = s.start_time
    return doc


def _step_doc(step: Step) -> dict[str, Any]:
    doc: dict[str, Any] = {"delay_days": step.delay_days}
    if not step.variants:
        doc.update(subject=step.subject, body=step.body)
        return doc
    doc["variants"] = [
        {"label": v.label, "subject": v.subject, "body": v.body}
        | ({"percentage": v.percentage} if v.percentage is not None else {})
        for v in step.variants
    ]
    with_percentages = all(v.percentage is not None for v in step.variants)
    implied = Distribution.PERCENTAGE if with_percentages else Distribution.EQUAL
    if step.distribution is not None and step.distribution is not implied:
        doc["distribution"] = step.distribution.value
    if step.winning_metric is not None:
        doc["winning_metric"] = step.winning_metric.value
    if step.lead_distribution_percentage is not None:
        doc["lead_distribution_percentage"] = step.lead_distribution_percentage
    return doc


def _webhook_doc(w: Webhook) -> dict[str, Any]:
    known = WebhookEvent._value2member_map_
    return {
        "name": w.name,
        "url": w.url,
        "events": [e for e in w.event_types if e in known],
        "categories": list(w.categories),
    }


def _lead_doc(lead: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"email": lead.email}
    for name in (
        "first_name",
        "last_name",
        "company_name",
        "phone_number",
        "website",
        "location",
        "linkedin_profile",
        "company_url",
    ):
        value = getattr(lead, name)
        if value is not None:
            doc[name] = value
    if lead.custom_fields:
        doc["custom_fields"] = dict(lead.custom_fields)
    return doc
