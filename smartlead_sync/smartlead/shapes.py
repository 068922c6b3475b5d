"""The declared shape of every Smartlead response the tool relies on (smartlead-api.md §1-§7).

One model per answer, each named by its route in `routes.py` (through a reader from
`response_bodies.py`); the client checks every 2xx body against it before anything reads the value.
Models ignore fields the tool does not read (Smartlead adds fields over time), are strict about
the ones it does, and coerce only the documented quirks: numbers and ids as strings (§1),
"40%" for a percentage (§3.3), phone numbers as numbers (§5.1).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from smartlead_sync.smartlead.coerce import as_bool, as_int


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
    # defer_build: a model's validator is built on its first use, so that a command pays at
    # start-up only for the models it uses.
    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)


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
