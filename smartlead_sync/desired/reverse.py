"""Live state -> campaign file, for `import`: the file loads back to the same state, so the
first `plan` after an import shows no change."""

from __future__ import annotations

from typing import Any

from smartlead_sync.desired.models import DAY_NAMES, CampaignFile, DesiredStatus, WebhookEvent
from smartlead_sync.state import (
    OPTIONAL_LEAD_FIELDS,
    CampaignState,
    Distribution,
    Lead,
    Schedule,
    Settings,
    Status,
    Step,
    Webhook,
)

_TRACK_FIELDS = (("opens", "track_opens"), ("clicks", "track_clicks"), ("replies", "track_replies"))


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


def _lead_doc(lead: Lead) -> dict[str, Any]:
    doc: dict[str, Any] = {"email": lead.email}
    for name in OPTIONAL_LEAD_FIELDS:
        value = getattr(lead, name)
        if value is not None:
            doc[name] = value
    if lead.custom_fields:
        doc["custom_fields"] = dict(lead.custom_fields)
    return doc
