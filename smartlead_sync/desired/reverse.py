"""Live state -> campaign file, for `import`: the file loads back to the same state, so the
first `plan` after an import shows no change."""

from __future__ import annotations

from typing import Any

from smartlead_sync.campaign_settings_table import (
    CAMPAIGN_SETTINGS,
    CampaignSetting,
    Choice,
    IdList,
    Nested,
    Scalar,
    Tracking,
)
from smartlead_sync.desired.models import DAY_NAMES, CampaignFile, DesiredStatus, WebhookEvent
from smartlead_sync.state import (
    CampaignSettings,
    CampaignState,
    Distribution,
    Schedule,
    Status,
    Step,
    Webhook,
)


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
        inline = [lead.input_fields() for lead in state.leads.values()]
        doc["leads"] = {"sources": [{"inline": inline}]}
    return CampaignFile.model_validate(doc)


def _settings_doc(s: CampaignSettings) -> dict[str, Any]:
    """Each table entry's state field(s) -> its file value; unmanaged ones are left out."""
    doc: dict[str, Any] = {}
    for setting in CAMPAIGN_SETTINGS:
        value = _file_value(setting, s)
        if value is not None:
            doc[setting.yaml] = value
    return doc


def _file_value(setting: CampaignSetting, s: CampaignSettings) -> Any:
    value = getattr(s, setting.state_fields[0])
    match setting.codec:
        case Tracking(flags):
            tracked = [(flag.word, getattr(s, flag.field)) for flag in flags]
            if all(on is None for _, on in tracked):
                return None
            return [word for word, on in tracked if on]
        case Nested(parts):
            if value is None:
                return None
            return {part.yaml: getattr(value, part.state) for part in parts}
        case Choice():
            return None if value is None else value.value
        case IdList():
            return None if value is None else list(value)
        case Scalar():
            return value


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
