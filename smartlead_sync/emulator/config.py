"""Emulator configuration: every behaviour the sources disagree on is a switch here.

Defaults follow "our reading" in smartlead-api.md §11 and §13; the README `emulator` section
lists each switch with the section that motivates it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_args, get_type_hints

from smartlead_sync.tool_settings import (
    DEFAULT_RATE_LIMIT_PROFILE,
    RATE_LIMIT_PROFILES,
    Bucket,
    RateLimits,
    Window,
)

EMULATOR_API_KEY = "sk-emulator-local"

SequenceWhileActive = Literal["reject", "allow"]
MissingCampaignGet = Literal["404", "empty_200"]
WebhookUpsertResponse = Literal["maps", "arrays"]
SequenceSaveResponse = Literal["success", "ids"]
OtherCampaignFlag = Literal["true_skips", "true_allows"]
TrackSettingsOnWrite = Literal["write_names_only", "accept_read_names"]
UnsubscribedLeadsFormat = Literal["array", "count"]
DeleteLeadResponse = Literal["text", "json"]
LostResponseKind = Literal["drop", "502", "mixed"]
# What a misbehaving Smartlead answers instead of the real body, with a 2xx (faults.py).
BadBody = Literal[
    "html", "message", "truncated", "null", "wrong_types", "missing_ids", "empty", "not_found"
]
BAD_BODIES: tuple[BadBody, ...] = get_args(BadBody)


@dataclass(frozen=True)
class Faults:
    """Seeded fault injection; everything off by default.

    Call numbers count /api/v1 requests with a valid key (1 = the first after the faults were
    set), restricted to `routes` when that is non-empty (templates like "POST /campaigns/create").
    """

    server_error_rate: float = 0.0  # 500 before anything is committed
    lost_response_rate: float = 0.0  # the write commits, then the response is lost
    lost_response_kind: LostResponseKind = "mixed"  # dropped connection, 502, or either
    latency: tuple[float, float] = (0.0, 0.0)  # uniform extra delay in real seconds
    force_429_on_calls: frozenset[int] = frozenset()
    server_error_on_calls: frozenset[int] = frozenset()
    lose_response_on_calls: frozenset[int] = frozenset()
    # The write is answered as if it succeeded, but nothing of it is kept (a lost write).
    drop_write_on_calls: frozenset[int] = frozenset()
    routes: frozenset[str] = frozenset()
    seed: int = 0
    # ("GET /campaigns", "html"): every call to that route gets that bad body instead.
    bad_bodies: tuple[tuple[str, BadBody], ...] = ()

    def __post_init__(self) -> None:
        for rate in (self.server_error_rate, self.lost_response_rate):
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"fault rates must be between 0 and 1, got {rate}")
        low, high = self.latency
        if not 0.0 <= low <= high:
            raise ValueError(f"latency must be (min, max) with 0 <= min <= max, got {self.latency}")
        _check_literal(self, "lost_response_kind")
        for route, kind in self.bad_bodies:
            if kind not in BAD_BODIES:
                raise ValueError(f"bad body for {route} must be one of {', '.join(BAD_BODIES)}")


def _strict_limits() -> RateLimits:
    return RATE_LIMIT_PROFILES[DEFAULT_RATE_LIMIT_PROFILE]


@dataclass(frozen=True)
class EmulatorConfig:
    """How the emulated account behaves. Frozen: build a new one to change it."""

    api_keys: tuple[str, ...] = (EMULATOR_API_KEY,)
    # Keys that see only one client's objects (§9, §13.13): (key, client_id) pairs.
    client_api_keys: tuple[tuple[str, int], ...] = ()
    rate_limits: RateLimits = field(default_factory=_strict_limits)
    time_scale: float = 1.0
    lead_batch_cap: int = 400  # the current documented cap (§5.2)
    lead_credits: int | None = None
    custom_field_cap: int = 200
    sequence_save_while_active: SequenceWhileActive = "reject"
    missing_campaign_get: MissingCampaignGet = "404"
    webhook_upsert_response: WebhookUpsertResponse = "maps"
    sequence_save_response: SequenceSaveResponse = "success"
    other_campaign_flag: OtherCampaignFlag = "true_skips"
    track_settings_on_write: TrackSettingsOnWrite = "write_names_only"
    unsubscribed_leads_format: UnsubscribedLeadsFormat = "array"
    delete_lead_response: DeleteLeadResponse = "text"
    accept_day_7: bool = False
    unauthorized_message: str = "Invalid API key or API key not provided"
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self) -> None:
        if self.time_scale <= 0:
            raise ValueError(f"time_scale must be positive, got {self.time_scale}")
        if self.lead_batch_cap < 1 or self.custom_field_cap < 0:
            raise ValueError("lead_batch_cap must be >= 1 and custom_field_cap >= 0")
        if self.lead_credits is not None and self.lead_credits < 0:
            raise ValueError("lead_credits must be >= 0 or None (unlimited)")
        for f in fields(self):
            _check_literal(self, f.name)

    def scope_of(self, api_key: str) -> tuple[bool, int | None]:
        """(known key?, client id the key is restricted to or None for the whole account)."""
        if api_key in self.api_keys:
            return True, None
        for key, client_id in self.client_api_keys:
            if key == api_key:
                return True, client_id
        return False, None


_HINTS: dict[str, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls.__qualname__ not in _HINTS:
        _HINTS[cls.__qualname__] = get_type_hints(cls)
    return _HINTS[cls.__qualname__]


def _check_literal(obj: object, name: str) -> None:
    hint = _hints(type(obj))[name]
    allowed = get_args(hint)
    if allowed and all(isinstance(a, str) for a in allowed):
        value = getattr(obj, name)
        if value not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


_SET_FIELDS = (
    "force_429_on_calls",
    "server_error_on_calls",
    "lose_response_on_calls",
    "drop_write_on_calls",
    "routes",
)


def faults_from_mapping(data: dict[str, Any]) -> Faults:
    """Faults from JSON/YAML: lists for the sets, `[min, max]` for latency. ValueError if wrong."""
    known = {f.name for f in fields(Faults)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = dict(data)
    for name in _SET_FIELDS:
        if name in values:
            values[name] = frozenset(values[name])
    if "latency" in values:
        low, high = values["latency"]
        values["latency"] = (float(low), float(high))
    if "bad_bodies" in values:  # a mapping {"GET /campaigns": "html"}
        values["bad_bodies"] = tuple(dict(values["bad_bodies"]).items())
    return Faults(**values)


def faults_to_mapping(faults: Faults) -> dict[str, Any]:
    data: dict[str, Any] = {f.name: getattr(faults, f.name) for f in fields(Faults)}
    for name in _SET_FIELDS:
        data[name] = sorted(data[name])
    data["latency"] = list(faults.latency)
    data["bad_bodies"] = dict(faults.bad_bodies)
    return data


def config_from_mapping(data: dict[str, Any]) -> EmulatorConfig:
    """An EmulatorConfig from a config file's mapping (field names as in the dataclass).

    `rate_limit_profile` picks a preset; `rate_limits` maps bucket names to `[[limit, seconds],
    ...]` and replaces the preset's windows for those buckets. ValueError on anything unknown.
    """
    values = dict(data)
    profile = values.pop("rate_limit_profile", DEFAULT_RATE_LIMIT_PROFILE)
    if profile not in RATE_LIMIT_PROFILES:
        raise ValueError(f"rate_limit_profile must be one of {', '.join(RATE_LIMIT_PROFILES)}")
    buckets = dict(RATE_LIMIT_PROFILES[profile].buckets)
    for name, windows in (values.pop("rate_limits", None) or {}).items():
        try:
            bucket = Bucket(name)
        except ValueError:
            raise ValueError(f"unknown rate-limit bucket {name!r}") from None
        buckets[bucket] = tuple(Window(int(limit), float(seconds)) for limit, seconds in windows)
    known = {f.name for f in fields(EmulatorConfig)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown emulator settings: {', '.join(sorted(unknown))}")
    if "faults" in values:
        values["faults"] = faults_from_mapping(values["faults"] or {})
    if "api_keys" in values:
        values["api_keys"] = tuple(values["api_keys"])
    if "client_api_keys" in values:
        values["client_api_keys"] = tuple(
            (str(k), int(c)) for k, c in values["client_api_keys"].items()
        )
    return EmulatorConfig(rate_limits=RateLimits(buckets), **values)
