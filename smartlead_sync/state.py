"""The normalized, comparable shape of a campaign, shared by desired (YAML) and live (API) state.

Both sides are mapped into these types before diffing, so the diff never sees API vocabularies
(`DONT_TRACK_*` vs `DONT_*`, `START` vs `ACTIVE`, `min_time_btw_emails` vs `min_time_btwn_emails`)
nor YAML spellings (day names, plain-word tracking). A `None` field on the desired side means
"not managed": the diff ignores it (server-side-apply semantics). Ids are carried for the
applier but never compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, get_args

from smartlead_sync.health.spec import GuardSpec
from smartlead_sync.plan.thresholds import CampaignSafety


class Status(str, Enum):
    """Campaign status in plain words. Desired uses the first four; live may show all six."""

    DRAFTED = "drafted"
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"
    COMPLETED = "completed"
    ARCHIVED = "archived"


class StopOn(str, Enum):
    """When Smartlead stops following up a lead (`stop_lead_settings`, smartlead-api.md §3.7)."""

    REPLY = "reply"
    CLICK = "click"
    OPEN = "open"


class Distribution(str, Enum):
    """How a step splits leads across its A/B variants (`variant_distribution_type`, §4.2)."""

    EQUAL = "equal"  # MANUAL_EQUAL
    PERCENTAGE = "percentage"  # MANUAL_PERCENTAGE
    AI = "ai"  # AI_EQUAL


class WinningMetric(str, Enum):
    OPEN_RATE = "open_rate"
    CLICK_RATE = "click_rate"
    REPLY_RATE = "reply_rate"
    POSITIVE_REPLY_RATE = "positive_reply_rate"


@dataclass(frozen=True, slots=True)
class OutOfOffice:
    ignore_ooo_as_reply: bool | None = None
    auto_reactivate_ooo: bool | None = None
    reactivate_ooo_with_delay: int | None = None
    auto_categorize_ooo: bool | None = None


@dataclass(frozen=True, slots=True)
class CampaignSettings:
    """A campaign's settings, one field per state field of `campaign_settings_table`
    (which says what each means, how it is named on the wire, and whether GET returns it)."""

    track_opens: bool | None = None
    track_clicks: bool | None = None
    track_replies: bool | None = None
    stop_on: StopOn | None = None
    send_as_plain_text: bool | None = None
    follow_up_percentage: int | None = None
    unsubscribe_text: str | None = None
    ai_esp_matching: bool | None = None
    force_plain_text: bool | None = None
    auto_pause_domain_leads_on_reply: bool | None = None
    ignore_ss_mailbox_sending_limit: bool | None = None
    domain_level_rate_limit: bool | None = None
    add_unsubscribe_tag: bool | None = None
    bounce_autopause_threshold: str | None = None
    out_of_office: OutOfOffice | None = None
    ai_categorisation_options: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    """Sending window. Days are 0 = Sunday .. 6 = Saturday, sorted; hours are zero-padded HH:MM."""

    timezone: str
    days: tuple[int, ...]
    start_hour: str
    end_hour: str
    min_time_between_emails: int
    max_new_leads_per_day: int
    start_time: str | None = None  # ISO-8601, or None for "as soon as started"


@dataclass(frozen=True, slots=True)
class Variant:
    label: str  # "A".."F"
    subject: str
    body: str  # HTML, normalized (see normalize_html)
    percentage: int | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One sequence step. With variants, the step-level subject and body are empty (§4.2)."""

    number: int  # 1-based seq_number
    delay_days: int
    subject: str = ""  # "" = reply in the same thread
    body: str = ""
    variants: tuple[Variant, ...] = ()
    # Write-only distribution controls (not returned by GET /sequences).
    distribution: Distribution | None = None
    winning_metric: WinningMetric | None = None
    lead_distribution_percentage: int | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Webhook:
    """A campaign webhook, identified by name within its campaign."""

    name: str
    url: str
    event_types: tuple[str, ...]  # sorted, Smartlead names (EMAIL_REPLY, ...)
    categories: tuple[str, ...] = ()  # sorted lead category names
    id: int | None = None


StandardLeadField = Literal[
    "email",
    "first_name",
    "last_name",
    "company_name",
    "phone_number",
    "website",
    "location",
    "linkedin_profile",
    "company_url",
]
STANDARD_LEAD_FIELDS: tuple[str, ...] = get_args(StandardLeadField)  # in `Lead` order
OPTIONAL_LEAD_FIELDS: tuple[str, ...] = STANDARD_LEAD_FIELDS[1:]  # all but the email


@dataclass(frozen=True, slots=True)
class Lead:
    """A lead as one campaign sees it. Identity is `key` (the lower-cased email)."""

    email: str
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    phone_number: str | None = None
    website: str | None = None
    location: str | None = None
    linkedin_profile: str | None = None
    company_url: str | None = None
    custom_fields: tuple[tuple[str, str], ...] = ()  # sorted (key, value); keys as written
    id: int | None = None  # live lead id (account-wide), may exceed 2^31
    source: str | None = None  # "file.csv:12" on the desired side, for messages only

    @property
    def key(self) -> str:
        return self.email.strip().lower()

    def input_fields(self) -> dict[str, Any]:
        """The fields that are set, by input name (the same in a file's inline leads and in
        Smartlead's lead input, §5.1): `email` always, `custom_fields` as a mapping."""
        fields: dict[str, Any] = {"email": self.email}
        for name in OPTIONAL_LEAD_FIELDS:
            value = getattr(self, name)
            if value is not None:
                fields[name] = value
        if self.custom_fields:
            fields["custom_fields"] = dict(self.custom_fields)
        return fields

    def field(self, name: str) -> str | None:
        """Value of a standard or custom field by template name, or None when absent or blank."""
        if name in STANDARD_LEAD_FIELDS:
            value: str | None = getattr(self, name)
        else:
            value = dict(self.custom_fields).get(name)
        if value is None or not value.strip():
            return None
        return value


class OtherCampaignDuplicates(str, Enum):
    """What to do with a lead that already sits in another campaign of the account (§5.2).

    Maps to `ignore_duplicate_leads_in_other_campaign`: observed behaviour is true = skip.
    """

    SKIP = "skip"
    ALLOW = "allow"


@dataclass(frozen=True, slots=True)
class LeadPolicy:
    """Upload settings for adds, and whether leads missing from the files are removed."""

    ignore_global_block_list: bool = False
    ignore_unsubscribe_list: bool = False
    ignore_community_bounce_list: bool = False
    other_campaign_duplicates: OtherCampaignDuplicates = OtherCampaignDuplicates.SKIP
    prune: bool = False


class CampaignPart(str, Enum):
    """The parts of a campaign that are read with calls of their own (the campaign row,
    with name, status, settings and schedule, comes from the campaign list)."""

    SEQUENCE = "sequence"
    MAILBOXES = "mailboxes"
    WEBHOOKS = "webhooks"
    LEADS = "leads"


@dataclass(frozen=True)
class CampaignState:
    """Everything about one campaign that the tool can compare. `None` means not managed."""

    name: str
    client_id: int | None = None
    id: int | None = None
    status: Status | None = None
    settings: CampaignSettings = field(default_factory=CampaignSettings)
    schedule: Schedule | None = None
    sequence: tuple[Step, ...] | None = None
    mailboxes: tuple[str, ...] | None = None  # sorted lower-cased sender emails
    webhooks: tuple[Webhook, ...] | None = None  # sorted by name
    leads: Mapping[str, Lead] | None = None  # key -> lead, insertion order kept


@dataclass(frozen=True)
class DesiredCampaign:
    """A campaign as the repository declares it, with what only the desired side has."""

    state: CampaignState
    source: str  # campaign file path, relative to the project root
    previous_names: tuple[str, ...] = ()
    lead_policy: LeadPolicy = field(default_factory=LeadPolicy)
    allow_blank: tuple[str, ...] = ()  # template variables allowed to render blank
    allow_stop: bool = False  # YAML opt-in for status: stopped (irreversible)
    delete: bool = False  # YAML opt-in: delete this campaign in Smartlead
    safety: CampaignSafety | None = None  # the file's own safety limits
    lead_sources_digest: str | None = None  # sha256 of every lead file read, for the plan
    guards: tuple[GuardSpec, ...] = ()  # health guards (health/spec.py); plan holds on them


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    """One row of GET /campaigns: enough to resolve identity without reading in depth."""

    id: int
    name: str
    client_id: int | None
    status: Status


@dataclass(frozen=True, slots=True)
class Mailbox:
    """A sender email account of the account. Passwords are never carried (§6)."""

    id: int
    email: str  # lower-cased from_email
    from_name: str = ""
