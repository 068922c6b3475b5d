"""Campaign settings and schedule: write vocabulary in, read vocabulary out (§3.7-§3.9, §13.4)."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from smartlead_sync.emulator.exchange import flat_error, joi_error
from smartlead_sync.emulator.records import require_campaign, save_campaign
from smartlead_sync.emulator.routing import Ctx, RouteTable
from smartlead_sync.emulator.validation import (
    as_object,
    check_bool,
    check_int,
    check_list,
    check_optional_int,
    check_str,
    reject_unknown,
    require,
)
from smartlead_sync.tool_settings import Bucket

routes = RouteTable()

# Write value -> read value (§3.9).
TRACK_WRITE_TO_READ: dict[str, str] = {
    "DONT_TRACK_EMAIL_OPEN": "DONT_EMAIL_OPEN",
    "DONT_TRACK_LINK_CLICK": "DONT_LINK_CLICK",
    "DONT_TRACK_REPLY_TO_AN_EMAIL": "DONT_REPLY_TO_AN_EMAIL",
}
STOP_LEAD_VALUES = ("REPLY_TO_AN_EMAIL", "CLICK_ON_A_LINK", "OPEN_AN_EMAIL")
BOOLEAN_SETTINGS = ("send_as_plain_text", "enable_ai_esp_matching")
WRITE_ONLY_BOOLEANS = (
    "force_plain_text",
    "auto_pause_domain_leads_on_reply",
    "ignore_ss_mailbox_sending_limit",
    "domain_level_rate_limit",
    "add_unsubscribe_tag",
)
OOO_KEYS = ("ignoreOOOasReply", "autoReactivateOOO", "reactivateOOOwithDelay", "autoCategorizeOOO")
SETTINGS_KEYS = (
    "track_settings",
    "stop_lead_settings",
    "unsubscribe_text",
    "follow_up_percentage",
    "client_id",
    "name",
    "bounce_autopause_threshold",
    "out_of_office_detection_settings",
    "ai_categorisation_options",
    *BOOLEAN_SETTINGS,
    *WRITE_ONLY_BOOLEANS,
)
SCHEDULE_REQUIRED = (
    "timezone",
    "days_of_the_week",
    "start_hour",
    "end_hour",
    "min_time_btw_emails",
    "max_new_leads_per_day",
)
_HOUR = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@routes.add("POST", "/campaigns/{campaign_id}/settings", Bucket.CAMPAIGN_WRITE)
def update_settings(ctx: Ctx) -> Any:
    """A partial update: only the keys sent change; unknown keys are rejected Joi-style."""
    doc = require_campaign(ctx)
    body = ctx.body_object()
    reject_unknown(body, SETTINGS_KEYS)
    for key, value in body.items():
        _apply_setting(ctx, doc, key, value)
    save_campaign(ctx.db, doc)
    return {"ok": True}


def _apply_setting(ctx: Ctx, doc: dict[str, Any], key: str, value: Any) -> None:
    hidden: dict[str, Any] = doc["write_only_settings"]
    if key == "track_settings":
        doc[key] = _read_track_settings(ctx, value)
    elif key == "stop_lead_settings":
        if value not in STOP_LEAD_VALUES:
            raise flat_error(f"Invalid stop_lead_settings value - {value}")
        doc[key] = value
    elif key in ("unsubscribe_text", "bounce_autopause_threshold"):
        target = doc if key == "unsubscribe_text" else hidden
        target[key] = check_str(value, key)
    elif key == "name":
        doc[key] = check_str(value, key, allow_empty=False)
    elif key == "follow_up_percentage":
        doc[key] = check_int(value, key, minimum=0, maximum=100)
    elif key == "client_id":
        doc[key] = check_optional_int(value, key)
    elif key in BOOLEAN_SETTINGS:
        doc[key] = check_bool(value, key)
    elif key in WRITE_ONLY_BOOLEANS:
        hidden[key] = check_bool(value, key)
    elif key == "out_of_office_detection_settings":
        ooo = as_object(value, key)
        reject_unknown(ooo, OOO_KEYS, key)
        hidden[key] = ooo
    elif key == "ai_categorisation_options":
        hidden[key] = _category_options(value)


def _read_track_settings(ctx: Ctx, value: Any) -> list[str]:
    """Store in the read vocabulary; the read names are rejected on write by default (§3.7)."""
    values = check_list(value, "track_settings")
    read_names = set(TRACK_WRITE_TO_READ.values())
    lenient = ctx.config.track_settings_on_write == "accept_read_names"
    result: list[str] = []
    for item in values:
        if item in TRACK_WRITE_TO_READ:
            read = TRACK_WRITE_TO_READ[item]
        elif lenient and item in read_names:
            read = item
        else:
            raise flat_error(f"Invalid track_settings value - {item}")
        if read not in result:
            result.append(read)
    return result


def _category_options(value: Any) -> list[Any]:
    # Category ids ([ARR][JZ]); [BCH] sends names, so both are kept as given (§3.7).
    items = check_list(value, "ai_categorisation_options")
    for index, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            path = f"ai_categorisation_options[{index}]"
            raise joi_error(f'"{path}" must be a number', path)
    return items


@routes.add("POST", "/campaigns/{campaign_id}/schedule", Bucket.CAMPAIGN_WRITE)
def update_schedule(ctx: Ctx) -> Any:
    """The flat body every working client sends; all six main fields are required (§3.8)."""
    doc = require_campaign(ctx)
    body = ctx.body_object()
    reject_unknown(body, (*SCHEDULE_REQUIRED, "schedule_start_time"))
    for key in SCHEDULE_REQUIRED:
        require(body, key)
    tz = check_str(body["timezone"], "timezone")
    if tz not in known_timezones():
        raise flat_error(f"Invalid timezone - {tz}")
    days = _days(ctx, body["days_of_the_week"])
    start, end = body["start_hour"], body["end_hour"]
    if not isinstance(start, str) or not _HOUR.match(start):
        raise flat_error(f"Invalid start_hour - {start}")
    if not isinstance(end, str) or not _HOUR.match(end):
        raise flat_error(f"Invalid end_hour - {end}")
    if start > end:
        raise flat_error("startHour cannot be greater that endHour")  # sic (§2.3)
    gap = check_int(body["min_time_btw_emails"], "min_time_btw_emails", minimum=1)
    per_day = check_int(body["max_new_leads_per_day"], "max_new_leads_per_day", minimum=1)
    doc["scheduler_cron_value"] = {"tz": tz, "days": days, "startHour": start, "endHour": end}
    doc["min_time_btwn_emails"] = gap
    doc["max_leads_per_day"] = per_day
    if "schedule_start_time" in body:
        doc["schedule_start_time"] = _start_time(body["schedule_start_time"])
    save_campaign(ctx.db, doc)
    return {"ok": True}


def _days(ctx: Ctx, value: Any) -> list[int]:
    # 0 = Sunday .. 6 = Saturday; 7 only when the ISO reading is switched on (§3.8).
    top = 7 if ctx.config.accept_day_7 else 6
    days = check_list(value, "days_of_the_week")
    if not days:
        raise joi_error('"days_of_the_week" must contain at least 1 items', "days_of_the_week")
    return [
        check_int(day, f"days_of_the_week[{i}]", minimum=0, maximum=top)
        for i, day in enumerate(days)
    ]


def _start_time(value: Any) -> str | None:
    """Stored as the server formats timestamps: UTC, milliseconds, `Z`."""
    if value is None:
        return None
    message = '"schedule_start_time" must be in ISO 8601 date format'
    if not isinstance(value, str):
        raise joi_error(message, "schedule_start_time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise joi_error(message, "schedule_start_time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    utc = moment.astimezone(timezone.utc)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    """IANA names stand in for Smartlead's own timezone list (§3.8)."""
    return frozenset(zoneinfo.available_timezones()) | {"UTC", "Etc/UTC", "GMT"}
