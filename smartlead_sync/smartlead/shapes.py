"""The declared shape of every Smartlead response the tool relies on (smartlead-api.md §1-§7).

Each route in `routes.py` names one `Shape`; the client checks every 2xx body against it before
anything reads the value. A body that does not match raises `Unusable`, which the client turns
into an API error (retried like a 5xx on reads): an unreadable answer never means "nothing
there". Models ignore fields the tool does not read (Smartlead adds fields over time), are strict
about the ones it does, and coerce only the documented quirks: numbers and ids as strings (§1),
`{}` or an empty body for a missing single resource (§2.3, §5.4), plain-text `success` (§5.6).
Values come back as plain JSON (dicts and lists, numbers coerced) for `mapping.py`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter
from pydantic import ValidationError as ModelError

from smartlead_sync.smartlead.coerce import as_bool, as_int


class Unusable(Exception):
    """A 2xx body that does not have the route's declared shape; says what was wrong."""


class Absent(Exception):
    """The documented "not found" answer of a single-resource GET (§2.3): `{}` or no body."""


def _int(value: Any) -> int:
    number = as_int(value) if not isinstance(value, (dict, list)) else None
    if number is None:
        raise ValueError(f"expected a whole number, got {type(value).__name__}")
    return number


def _bool(value: Any) -> bool:
    flag = as_bool(value) if isinstance(value, (bool, int, float, str)) else None
    if flag is None:
        raise ValueError(f"expected true or false, got {type(value).__name__}")
    return flag


def _text(value: Any) -> str:
    """Strings, and numbers where Smartlead sends them for text (phone numbers, §5.1)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"expected text, got {type(value).__name__}")
    return str(value)


ApiInt = Annotated[int, BeforeValidator(_int)]  # 42, "42", "40%" (§1, §3.3)
ApiBool = Annotated[bool, BeforeValidator(_bool)]
ApiText = Annotated[str, BeforeValidator(_text)]
Strings = list[str] | str  # arrays, or one string / a JSON-encoded array (§3.3, §7.1)


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


# Campaigns (§3.1-§3.4)
class CampaignRow(ApiModel):
    id: ApiInt
    name: str
    client_id: ApiInt | None = None
    status: str | None = None


class CronValue(ApiModel):
    tz: str | None = None
    days: list[ApiInt] | None = None
    startHour: ApiText | None = None
    endHour: ApiText | None = None


class Campaign(CampaignRow):
    track_settings: Strings | None = None
    scheduler_cron_value: CronValue | str | None = None  # [H1] showed it as a string
    min_time_btwn_emails: ApiInt | None = None
    max_leads_per_day: ApiInt | None = None
    stop_lead_settings: str | None = None
    schedule_start_time: str | None = None
    send_as_plain_text: ApiBool | None = None
    follow_up_percentage: ApiInt | None = None
    unsubscribe_text: str | None = None
    enable_ai_esp_matching: ApiBool | None = None


class CampaignCreated(ApiModel):
    id: ApiInt
    ok: ApiBool | None = None


# Sequences (§4.1)
class Delay(ApiModel):
    delayInDays: ApiInt | None = None
    delay_in_days: ApiInt | None = None


class VariantRow(ApiModel):
    id: ApiInt
    variant_label: str
    subject: str | None = None
    email_body: str | None = None
    variant_distribution_percentage: ApiInt | None = None
    is_deleted: ApiBool | None = None


class StepRow(ApiModel):
    id: ApiInt
    seq_number: ApiInt
    seq_delay_details: Delay | None = None
    subject: str | None = None
    email_body: str | None = None
    sequence_variants: list[VariantRow] | None = None
    seq_variants: list[VariantRow] | None = None


# Leads (§5.2-§5.4)
class LeadFields(ApiModel):
    id: ApiInt
    email: str
    first_name: ApiText | None = None
    last_name: ApiText | None = None
    phone_number: ApiText | None = None
    company_name: ApiText | None = None
    website: ApiText | None = None
    location: ApiText | None = None
    linkedin_profile: ApiText | None = None
    company_url: ApiText | None = None
    custom_fields: dict[str, Any] | str | None = None


class LeadMembership(ApiModel):
    lead: LeadFields
    campaign_lead_map_id: ApiInt | None = None
    status: str | None = None


class LeadsPage(ApiModel):
    data: list[LeadMembership]
    total_leads: ApiInt | None = None
    offset: ApiInt | None = None
    limit: ApiInt | None = None


class LeadIdMap(ApiModel):
    newlyAddedLeads: dict[str, ApiInt | None] | None = None
    existingLeads: dict[str, ApiInt | None] | None = None
    existingLeadsInOtherCampaigns: dict[str, ApiInt | None] | None = None


class LeadsAdded(ApiModel):
    ok: ApiBool | None = None
    upload_count: ApiInt | None = None
    total_leads: ApiInt | None = None
    already_added_to_campaign: ApiInt | None = None
    duplicate_count: ApiInt | None = None
    invalid_email_count: ApiInt | None = None
    invalid_emails: list[str] | None = None
    block_count: ApiInt | None = None
    bounce_count: ApiInt | None = None
    unsubscribed_leads: list[str] | ApiInt | None = None
    is_lead_limit_exhausted: ApiBool | None = None
    lead_import_stopped_count: ApiInt | None = None
    emailToLeadIdMap: LeadIdMap | None = None
    error: str | None = None


class Category(ApiModel):
    id: ApiInt
    name: str


class BlockListEntry(ApiModel):
    """One row of the block list (§5.7): an email or a whole domain."""

    id: ApiInt
    email_or_domain: str
    client_id: ApiInt | None = None


# Email accounts (§6) and webhooks (§7.1)
class EmailAccount(ApiModel):
    id: ApiInt
    from_email: str | None = None
    username: str | None = None
    from_name: str | None = None


class WebhookRow(ApiModel):
    id: ApiInt
    name: str
    webhook_url: str
    event_types: Strings | None = None
    categories: list[ApiText] | str | None = None
    event_type_map: dict[str, Any] | None = None
    category_id_map: dict[str, Any] | None = None


class WebhookSaved(ApiModel):
    id: ApiInt | None = None  # the older response carries no id (§7.1)
    ok: ApiBool | None = None


# Decoding
def describe_body(text: str) -> str:
    """A few words on what came back instead, for the error message (never the body itself:
    it may echo the request, and an HTML page says nothing useful)."""
    stripped = text.strip()
    if not stripped:
        return "an empty body"
    if stripped.startswith("<"):
        return "an HTML page"
    if stripped[0] in "{[":
        return "JSON that breaks off (truncated)"
    return "plain text"


def _decode(text: str) -> Any:
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except ValueError:
        raise Unusable(describe_body(text)) from None


def _what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        message = value.get("message") or value.get("error")
        if len(value) <= 3 and isinstance(message, str):
            return "a bare message object"
        return "an object of the wrong shape"
    if isinstance(value, list):
        return "an array"
    return f"a JSON {type(value).__name__}"


def _first_error(exc: ModelError) -> str:
    """Where and what, without values; map keys that are emails (lead id maps) are hidden."""
    error = exc.errors()[0]
    parts = ("<email>" if "@" in str(part) else str(part) for part in error["loc"])
    where = ".".join(parts) or "the body"
    return f"{where}: {error['msg']}"


class Shape:
    """What a 2xx body of one route must be; `read` returns the value or raises Unusable."""

    expected: str

    def read(self, text: str) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class ListOf(Shape):
    """A bare JSON array of `model` items (§1); a `{data: [...]}` wrapper is tolerated."""

    model: type[ApiModel]
    expected: str

    def read(self, text: str) -> Any:
        value = _decode(text)
        if isinstance(value, dict) and isinstance(value.get("data"), list):
            value = value["data"]
        if not isinstance(value, list):
            raise Unusable(_what(value))
        adapter = TypeAdapter(list[self.model])  # type: ignore[name-defined]
        try:
            items = adapter.validate_python(value)
        except ModelError as exc:
            raise Unusable(f"item {_first_error(exc)}") from None
        return [item.model_dump(exclude_unset=True) for item in items]


@dataclass(frozen=True)
class ObjectOf(Shape):
    """One JSON object. With `absent_when_empty`, `{}` or no body means "not found" (§2.3);
    with `write`, an `{ok: false, ...}` object is a refusal, passed on for the caller to report
    (§2.3 shows writes refused that way with HTTP 200)."""

    model: type[ApiModel]
    expected: str
    absent_when_empty: bool = False
    write: bool = False

    def read(self, text: str) -> Any:
        if self.absent_when_empty and not text.strip():
            raise Absent
        value = _decode(text)
        if self.absent_when_empty and value == {}:
            raise Absent
        if not isinstance(value, dict):
            raise Unusable(_what(value))
        try:
            return self.model.model_validate(value).model_dump(exclude_unset=True)
        except ModelError as exc:
            if self.write and value.get("ok") is False:
                return value
            raise Unusable(f"{_what(value)} ({_first_error(exc)})") from None


@dataclass(frozen=True)
class Acknowledgement(Shape):
    """A write's reply we only need to be positive: an object, plain text such as `success`
    (§5.6), or nothing. An HTML page or broken JSON says nothing about what happened."""

    expected: str = "an acknowledgement"

    def read(self, text: str) -> Any:
        stripped = text.strip()
        if not stripped:
            return {"ok": True}
        if stripped[0] not in "{[<":
            return {"ok": True, "message": stripped}
        value = _decode(stripped) if stripped[0] != "<" else None
        if not isinstance(value, dict):
            raise Unusable(describe_body(text) if value is None else _what(value))
        return value


@dataclass(frozen=True)
class LeadExport(Shape):
    """The leads-export CSV (§5.7): a header naming `id` and `email`, every row complete.

    Returns the rows as dicts; an empty body raises Absent (the caller pages instead).
    """

    expected: str = "CSV with id and email columns"

    def read(self, text: str) -> Any:
        body = text.lstrip("\ufeff")
        if not body.strip():
            raise Absent
        if body.lstrip()[0] in "{[<":
            raise Unusable(describe_body(body) if body.lstrip()[0] == "<" else "JSON, not CSV")
        try:
            reader = csv.DictReader(io.StringIO(body), strict=True)
            columns = set(reader.fieldnames or ())
            if not {"id", "email"} <= columns:
                raise Unusable("CSV without id and email columns")
            rows = list(reader)
        except csv.Error as exc:
            raise Unusable(f"broken CSV ({exc})") from None
        for number, row in enumerate(rows, start=2):
            if None in row.values() or None in row or as_int(row["id"]) is None:
                raise Unusable(f"CSV row {number} is incomplete or has no lead id (truncated?)")
        return rows
