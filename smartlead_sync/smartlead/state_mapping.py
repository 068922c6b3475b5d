"""Where Smartlead's vocabularies meet the normalized state, in one place (§3.9, §4).

Smartlead reads and writes the same things under different names: `DONT_TRACK_*` is written
and `DONT_*` read, `START` written and `ACTIVE` read, `min_time_btw_emails` written and
`min_time_btwn_emails` read, `seq_variants`/`delay_in_days` written and
`sequence_variants`/`delayInDays` read. Every such asymmetry is resolved here, in both directions,
or for campaign settings in settings_wire.py from `campaign_settings_table`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from smartlead_sync.smartlead.coerce import as_bool, as_int, as_str, as_string_list, as_text
from smartlead_sync.state import (
    CampaignSummary,
    Distribution,
    Mailbox,
    Schedule,
    Status,
    Step,
    Variant,
    Webhook,
)

JsonObject = dict[str, Any]

# Status: read vocabulary -> state; state -> write vocabulary (§3.6).
_STATUS_READ = {
    "DRAFTED": Status.DRAFTED,
    "DRAFT": Status.DRAFTED,  # [M1 core/campaigns] spelling
    "ACTIVE": Status.ACTIVE,
    "PAUSED": Status.PAUSED,
    "STOPPED": Status.STOPPED,
    "COMPLETED": Status.COMPLETED,
    "ARCHIVED": Status.ARCHIVED,
}
STATUS_WRITE = {Status.ACTIVE: "START", Status.PAUSED: "PAUSED", Status.STOPPED: "STOPPED"}

_DISTRIBUTION = {
    Distribution.EQUAL: "MANUAL_EQUAL",
    Distribution.PERCENTAGE: "MANUAL_PERCENTAGE",
    Distribution.AI: "AI_EQUAL",
}


def status_from_api(value: Any) -> Status | None:
    return _STATUS_READ.get(str(value or "").strip().upper())


def summary_from_api(raw: Mapping[str, Any]) -> CampaignSummary:
    return CampaignSummary(
        id=as_int(raw.get("id")) or 0,
        name=as_text(raw.get("name")),
        client_id=as_int(raw.get("client_id")),
        status=status_from_api(raw.get("status")) or Status.DRAFTED,
    )


def _hour(value: Any) -> str:
    """ "9:00" / "09:00" / 9 -> "09:00"."""
    text = str(value or "").strip()
    hours, _, minutes = text.partition(":")
    try:
        return f"{int(hours):02d}:{int(minutes or 0):02d}"
    except ValueError:
        return text


def schedule_from_api(raw: Mapping[str, Any]) -> Schedule | None:
    """`scheduler_cron_value{tz,days,startHour,endHour}` plus two campaign fields (§3.8)."""
    cron = raw.get("scheduler_cron_value")
    if isinstance(cron, str):
        try:
            cron = json.loads(cron)
        except ValueError:
            cron = None
    if not isinstance(cron, dict) or not cron.get("tz"):
        return None
    # Sunday may come back as 7 (ISO numbering, §3.8); the state uses 0.
    days = sorted({d % 7 for d in (as_int(x) for x in cron.get("days") or []) if d is not None})
    return Schedule(
        timezone=str(cron["tz"]),
        days=tuple(days),
        start_hour=_hour(cron.get("startHour")),
        end_hour=_hour(cron.get("endHour")),
        min_time_between_emails=as_int(raw.get("min_time_btwn_emails")) or 0,
        max_new_leads_per_day=as_int(raw.get("max_leads_per_day")) or 0,
        start_time=as_str(raw.get("schedule_start_time")),
    )


def schedule_to_api(schedule: Schedule) -> JsonObject:
    """The flat body with all six fields; the nested form of [M1] is a doc error (§3.8)."""
    body: JsonObject = {
        "timezone": schedule.timezone,
        "days_of_the_week": list(schedule.days),
        "start_hour": schedule.start_hour,
        "end_hour": schedule.end_hour,
        "min_time_btw_emails": schedule.min_time_between_emails,
        "max_new_leads_per_day": schedule.max_new_leads_per_day,
    }
    if schedule.start_time is not None:
        body["schedule_start_time"] = schedule.start_time
    return body


def _variant_from_api(raw: Mapping[str, Any]) -> Variant:
    return Variant(
        label=as_text(raw.get("variant_label")),
        subject=as_text(raw.get("subject")),
        body=as_text(raw.get("email_body")),
        percentage=as_int(raw.get("variant_distribution_percentage")),
        id=as_int(raw.get("id")),
    )


def steps_from_api(rows: Sequence[Mapping[str, Any]]) -> tuple[Step, ...]:
    """GET /sequences rows (read keys `sequence_variants`, `delayInDays`, §4.1), by number."""
    steps = []
    for raw in rows:
        delay = raw.get("seq_delay_details") or {}
        if not isinstance(delay, dict):
            delay = {}
        variant_rows = raw.get("sequence_variants") or raw.get("seq_variants") or []
        variants = [_variant_from_api(v) for v in variant_rows if not as_bool(v.get("is_deleted"))]
        steps.append(
            Step(
                number=as_int(raw.get("seq_number")) or 0,
                delay_days=as_int(delay.get("delayInDays", delay.get("delay_in_days"))) or 0,
                subject=as_text(raw.get("subject")),
                body=as_text(raw.get("email_body")),
                variants=tuple(sorted(variants, key=lambda v: v.label)),
                id=as_int(raw.get("id")),
            )
        )
    return tuple(sorted(steps, key=lambda s: s.number))


def _variant_to_api(variant: Variant) -> JsonObject:
    body: JsonObject = {
        "subject": variant.subject,
        "email_body": variant.body,
        "variant_label": variant.label,
    }
    if variant.id is not None:  # no id = new variant (§4.2)
        body["id"] = variant.id
    if variant.percentage is not None:
        body["variant_distribution_percentage"] = variant.percentage
    return body


def steps_to_api(steps: Sequence[Step]) -> list[JsonObject]:
    """The whole sequence in write keys (`seq_variants`, `delay_in_days`, §4.2)."""
    out = []
    for step in steps:
        # `id: null` stays explicit: some validators want it present on new steps (§4.2, [BCH]).
        body: JsonObject = {
            "id": step.id,
            "seq_number": step.number,
            "seq_delay_details": {"delay_in_days": step.delay_days},
            "subject": step.subject,
            "email_body": step.body,
        }
        if step.variants:
            body["seq_variants"] = [_variant_to_api(v) for v in step.variants]
        if step.distribution is not None:
            body["variant_distribution_type"] = _DISTRIBUTION[step.distribution]
        if step.winning_metric is not None:
            body["winning_metric_property"] = step.winning_metric.name
        if step.lead_distribution_percentage is not None:
            body["lead_distribution_percentage"] = step.lead_distribution_percentage
        out.append(body)
    return out


def _selection(raw: Mapping[str, Any], list_key: str, map_key: str) -> list[str]:
    """Webhook selections come as arrays [H1] or as `{NAME: true}` maps [SIM] (§7.1)."""
    values = as_string_list(raw.get(list_key))
    chosen = raw.get(map_key)
    if isinstance(chosen, dict):
        values += [str(k) for k, on in chosen.items() if on]
    return values


def webhook_from_api(raw: Mapping[str, Any], category_names: Mapping[int, str]) -> Webhook:
    categories = []
    for value in _selection(raw, "categories", "category_id_map"):
        number = as_int(value)
        categories.append(category_names.get(number, value) if number is not None else value)
    return Webhook(
        name=as_text(raw.get("name")),
        url=as_text(raw.get("webhook_url")),
        event_types=tuple(sorted(set(_selection(raw, "event_types", "event_type_map")))),
        categories=tuple(sorted(set(categories))),
        id=as_int(raw.get("id")),
    )


def webhook_to_api(webhook: Webhook) -> JsonObject:
    return {
        "id": webhook.id,
        "name": webhook.name,
        "webhook_url": webhook.url,
        "event_types": list(webhook.event_types),
        "categories": list(webhook.categories),
    }


def mailbox_from_api(raw: Mapping[str, Any]) -> Mailbox:
    return Mailbox(
        id=as_int(raw.get("id")) or 0,
        email=as_text(raw.get("from_email") or raw.get("username")).strip().lower(),
        from_name=as_text(raw.get("from_name")),
    )
