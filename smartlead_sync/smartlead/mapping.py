"""Where Smartlead's vocabularies meet the normalized state, in one place (§3.9, §4).

Smartlead reads and writes the same things under different names: `DONT_TRACK_*` is written
and `DONT_*` read, `START` written and `ACTIVE` read, `min_time_btw_emails` written and
`min_time_btwn_emails` read, `seq_variants`/`delay_in_days` written and
`sequence_variants`/`delayInDays` read. Every such asymmetry is resolved here, in both directions;
nothing else in the tool knows an API spelling.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from smartlead_sync.smartlead.coerce import as_bool, as_int, as_str, as_text
from smartlead_sync.state import (
    CampaignSummary,
    Distribution,
    Mailbox,
    Schedule,
    Settings,
    Status,
    Step,
    StopOn,
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

# Tracking: (state flag, read value, write value) - §3.7, §3.9.
_TRACKING = (
    ("track_opens", "DONT_EMAIL_OPEN", "DONT_TRACK_EMAIL_OPEN"),
    ("track_clicks", "DONT_LINK_CLICK", "DONT_TRACK_LINK_CLICK"),
    ("track_replies", "DONT_REPLY_TO_AN_EMAIL", "DONT_TRACK_REPLY_TO_AN_EMAIL"),
)
_STOP_ON = {
    StopOn.REPLY: "REPLY_TO_AN_EMAIL",
    StopOn.CLICK: "CLICK_ON_A_LINK",
    StopOn.OPEN: "OPEN_AN_EMAIL",
}
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


def _string_list(value: Any) -> list[str]:
    """A list of strings from an array, a single string, or a JSON-encoded array."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                return _string_list(json.loads(stripped))
            except ValueError:
                return []
        return [stripped] if stripped else []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return []


def settings_from_api(raw: Mapping[str, Any]) -> Settings:
    """The readable settings of GET /campaigns/{id} (§3.3); write-only ones stay None."""
    off = set(_string_list(raw.get("track_settings")))
    opens, clicks, replies = (read not in off for _, read, _ in _TRACKING)
    stop = str(raw.get("stop_lead_settings") or "")
    stop_on = next((s for s, api in _STOP_ON.items() if api == stop), None)
    return Settings(
        stop_on=stop_on,
        send_as_plain_text=as_bool(raw.get("send_as_plain_text")),
        follow_up_percentage=as_int(raw.get("follow_up_percentage")),
        unsubscribe_text=as_str(raw.get("unsubscribe_text")),
        ai_esp_matching=as_bool(raw.get("enable_ai_esp_matching")),
        track_opens=opens,
        track_clicks=clicks,
        track_replies=replies,
    )


def _track_settings(settings: Settings, current: Settings | None) -> list[str]:
    """Write names of what is NOT tracked; unset flags keep `current` (tracked if unknown)."""
    off = []
    for flag, _, write in _TRACKING:
        value = getattr(settings, flag)
        if value is None and current is not None:
            value = getattr(current, flag)
        if value is False:
            off.append(write)
    return off


_PLAIN_SETTINGS = (
    "send_as_plain_text",
    "follow_up_percentage",
    "unsubscribe_text",
    "force_plain_text",
    "auto_pause_domain_leads_on_reply",
    "ignore_ss_mailbox_sending_limit",
    "domain_level_rate_limit",
    "add_unsubscribe_tag",
    "bounce_autopause_threshold",
)


def settings_to_api(settings: Settings, current: Settings | None = None) -> JsonObject:
    """Only the fields that are set; `track_settings` merged over `current` (all on by default)."""
    body: JsonObject = {}
    if any(getattr(settings, flag) is not None for flag, _, _ in _TRACKING):
        body["track_settings"] = _track_settings(settings, current)
    if settings.stop_on is not None:
        body["stop_lead_settings"] = _STOP_ON[settings.stop_on]
    if settings.ai_esp_matching is not None:
        body["enable_ai_esp_matching"] = settings.ai_esp_matching
    if settings.out_of_office is not None:
        ooo = settings.out_of_office
        pairs = {
            "ignoreOOOasReply": ooo.ignore_ooo_as_reply,
            "autoReactivateOOO": ooo.auto_reactivate_ooo,
            "reactivateOOOwithDelay": ooo.reactivate_ooo_with_delay,
            "autoCategorizeOOO": ooo.auto_categorize_ooo,
        }
        body["out_of_office_detection_settings"] = {k: v for k, v in pairs.items() if v is not None}
    if settings.ai_categorisation_options is not None:
        body["ai_categorisation_options"] = list(settings.ai_categorisation_options)
    body.update(
        {n: getattr(settings, n) for n in _PLAIN_SETTINGS if getattr(settings, n) is not None}
    )
    return body


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
    values = _string_list(raw.get(list_key))
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
