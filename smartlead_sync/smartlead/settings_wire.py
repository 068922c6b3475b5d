"""Campaign settings on the wire, driven by `campaign_settings_table` (§3.3, §3.7, §3.9).

GET /campaigns/{id} returns the readable settings under their read names and read vocabulary;
POST /campaigns/{id}/settings takes the write names and write vocabulary, and only the keys
sent change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smartlead_sync.campaign_settings_table import (
    CAMPAIGN_SETTINGS,
    CampaignSetting,
    Choice,
    IdList,
    Kind,
    Nested,
    Scalar,
    Tracking,
)
from smartlead_sync.smartlead.coerce import as_bool, as_int, as_str, as_string_list
from smartlead_sync.state import CampaignSettings

JsonObject = dict[str, Any]

_READ_SCALAR = {
    Kind.FLAG: as_bool,
    Kind.PERCENT: as_int,
    Kind.TEXT: as_str,
    Kind.LOOSE_TEXT: as_str,
}


def settings_from_api(raw: Mapping[str, Any]) -> CampaignSettings:
    """The readable settings of GET /campaigns/{id} (§3.3); write-only ones stay None."""
    values: dict[str, Any] = {}
    for setting in CAMPAIGN_SETTINGS:
        if setting.api_read is not None:
            values.update(_read(setting, raw.get(setting.api_read)))
    return CampaignSettings(**values)


def _read(setting: CampaignSetting, value: Any) -> dict[str, Any]:
    """One setting's state field(s) from its read value (lenient, as Smartlead sends it)."""
    match setting.codec:
        case Tracking(flags):
            off = set(as_string_list(value))
            return {flag.field: flag.read not in off for flag in flags}
        case Choice(api_words):
            word = str(value or "")
            return {
                setting.state_fields[0]: next((s for s, w in api_words.items() if w == word), None)
            }
        case Scalar(kind):
            return {setting.state_fields[0]: _READ_SCALAR[kind](value)}
        case Nested() | IdList():
            raise TypeError(f"no reader for the readable setting {setting.yaml!r}")


def _track_settings(
    flags: Tracking, settings: CampaignSettings, current: CampaignSettings | None
) -> list[str]:
    """Write names of what is NOT tracked; unset flags keep `current` (tracked if unknown)."""
    off = []
    for flag in flags.flags:
        value = getattr(settings, flag.field)
        if value is None and current is not None:
            value = getattr(current, flag.field)
        if value is False:
            off.append(flag.write)
    return off


def settings_to_api(
    settings: CampaignSettings, current: CampaignSettings | None = None
) -> JsonObject:
    """Only the fields that are set; `track_settings` merged over `current` (all on by default)."""
    body: JsonObject = {}
    for setting in CAMPAIGN_SETTINGS:
        codec = setting.codec
        if isinstance(codec, Tracking):
            if any(getattr(settings, name) is not None for name in setting.state_fields):
                body[setting.api_write] = _track_settings(codec, settings, current)
            continue
        value = getattr(settings, setting.state_fields[0])
        if value is not None:
            body[setting.api_write] = _written(codec, value)
    return body


def _written(codec: Choice | Nested | IdList | Scalar, value: Any) -> Any:
    match codec:
        case Choice(api_words):
            return api_words[value]
        case Nested(parts):
            pairs = {part.api: getattr(value, part.state) for part in parts}
            return {key: part for key, part in pairs.items() if part is not None}
        case IdList():
            return list(value)
        case Scalar():
            return value
