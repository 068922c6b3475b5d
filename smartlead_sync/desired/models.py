"""The campaign file format: what a team writes in `campaigns/*.yaml` and the project file.

Pydantic models, frozen, unknown keys rejected. They describe one file after templates and
project defaults are merged in (see loader.py). Cross-field rules that need a precise location
(step 1 needs a subject, START preconditions, variables vs leads) live in checks.py. The value
types live in fieldtypes.py, `settings:` in settings_model.py, `leads:` in lead_models.py.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, StrictBool, StrictInt, StrictStr, field_validator, model_validator

from smartlead_sync.desired.fieldtypes import (
    DAY_NAMES,
    HHMM_PATTERN,
    VARIANT_LABELS,
    Day,
    Label,
    Line,
    NonEmpty,
    Percent,
    PositiveId,
    check_timezone,
)
from smartlead_sync.desired.filemodel import FileModel
from smartlead_sync.desired.lead_models import InlineLead, LeadsModel, LeadSourceModel, UploadModel
from smartlead_sync.desired.safety_file import CampaignSafetyModel
from smartlead_sync.desired.settings_model import OutOfOfficeModel, SettingsModel
from smartlead_sync.health.spec import AbTestSpec, GuardSpec
from smartlead_sync.state import Distribution, WinningMetric

__all__ = [
    "DAY_NAMES",
    "VARIANT_LABELS",
    "CampaignFile",
    "DesiredStatus",
    "InlineLead",
    "LeadSourceModel",
    "LeadsModel",
    "OutOfOfficeModel",
    "ScheduleModel",
    "SettingsModel",
    "StepModel",
    "UploadModel",
    "VariantModel",
    "WebhookEvent",
    "WebhookModel",
]


class DesiredStatus(str, Enum):
    """Statuses a file may ask for (Smartlead sets COMPLETED itself, §3.6)."""

    DRAFTED = "drafted"
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"


class WebhookEvent(str, Enum):
    """The 11 event names Smartlead accepts (smartlead-api.md §7.2)."""

    EMAIL_SENT = "EMAIL_SENT"
    FIRST_EMAIL_SENT = "FIRST_EMAIL_SENT"
    EMAIL_OPEN = "EMAIL_OPEN"
    EMAIL_LINK_CLICK = "EMAIL_LINK_CLICK"
    EMAIL_REPLY = "EMAIL_REPLY"
    EMAIL_BOUNCE = "EMAIL_BOUNCE"
    LEAD_UNSUBSCRIBED = "LEAD_UNSUBSCRIBED"
    LEAD_CATEGORY_UPDATED = "LEAD_CATEGORY_UPDATED"
    CAMPAIGN_STATUS_CHANGED = "CAMPAIGN_STATUS_CHANGED"
    UNTRACKED_REPLIES = "UNTRACKED_REPLIES"
    MANUAL_STEP_REACHED = "MANUAL_STEP_REACHED"


class ScheduleModel(FileModel):
    """When emails go out. Smartlead needs every field but `start_at` (§3.8)."""

    timezone: StrictStr
    days: tuple[Day, ...] = Field(min_length=1)
    start: Annotated[StrictStr, Field(pattern=HHMM_PATTERN)]
    end: Annotated[StrictStr, Field(pattern=HHMM_PATTERN)]
    minutes_between_emails: Annotated[StrictInt, Field(ge=1, le=1440)]
    max_new_leads_per_day: Annotated[StrictInt, Field(ge=1)]
    start_at: StrictStr | None = None

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("days")
    @classmethod
    def _unique_days(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("a day is listed twice")
        return value

    @field_validator("start_at")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(
                    f"{value!r} is not an ISO-8601 date-time such as 2025-01-06T09:00:00Z"
                ) from None
        return value

    @model_validator(mode="after")
    def _window(self) -> ScheduleModel:
        if self.start >= self.end:
            raise ValueError(f"start {self.start} must be before end {self.end}")
        return self


class _Body(FileModel):
    """Exactly one of an inline HTML `body` or a `body_file` path (relative to the project)."""

    body: StrictStr | None = None
    body_file: NonEmpty | None = None

    def _one_body(self, where: str) -> None:
        if (self.body is None) == (self.body_file is None):
            raise ValueError(f"{where} needs exactly one of `body` or `body_file`")


class VariantModel(_Body):
    label: Label
    subject: Line = ""
    percentage: Percent | None = None

    @model_validator(mode="after")
    def _check(self) -> VariantModel:
        self._one_body(f"variant {self.label}")
        return self


class StepModel(_Body):
    """A sequence step. `subject: ""` (or none) sends it as a reply in the same thread."""

    delay_days: Annotated[StrictInt, Field(ge=0, le=365)]
    subject: Line | None = None
    variants: tuple[VariantModel, ...] = ()
    distribution: Distribution | None = None
    winning_metric: WinningMetric | None = None
    lead_distribution_percentage: Percent | None = None
    ab_test: AbTestSpec | None = None

    @model_validator(mode="after")
    def _check(self) -> StepModel:
        if self.ab_test is not None and len(self.variants) < 2:
            raise ValueError("ab_test needs a step with at least two variants")
        if self.ab_test is not None and self.distribution is Distribution.AI:
            raise ValueError("ab_test and distribution: ai both pick a winner: keep one")
        if not self.variants:
            self._one_body("a step without variants")
            return self
        if self.body is not None or self.body_file is not None or self.subject is not None:
            raise ValueError("a step with variants takes its subject and body from the variants")
        labels = [v.label for v in self.variants]
        if len(set(labels)) != len(labels):
            raise ValueError("variant labels must be unique")
        given = [v.percentage for v in self.variants if v.percentage is not None]
        if given and len(given) != len(self.variants):
            raise ValueError("give a percentage to every variant, or to none for an equal split")
        if given and sum(given) != 100:
            raise ValueError(f"variant percentages sum to {sum(given)}, not 100")
        if self.distribution is Distribution.PERCENTAGE and not given:
            raise ValueError("distribution: percentage needs a percentage on every variant")
        if self.distribution is Distribution.AI and self.winning_metric is None:
            raise ValueError("distribution: ai needs a winning_metric")
        return self


class WebhookModel(FileModel):
    name: NonEmpty
    url: NonEmpty
    events: tuple[WebhookEvent, ...] = Field(min_length=1)
    # Smartlead rejects an empty category list (§7.1); checks.py reports it with a location.
    categories: tuple[NonEmpty, ...] = ()

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("webhook url must be an http(s) URL")
        return value


class CampaignFile(FileModel):
    """One campaign, as written in its file (after `extends:` and project defaults)."""

    name: NonEmpty
    client_id: PositiveId | None = None
    id: PositiveId | None = None
    previous_names: tuple[NonEmpty, ...] = ()
    status: DesiredStatus | None = None
    allow_stop: StrictBool = False
    delete: StrictBool = False
    schedule: ScheduleModel | None = None
    settings: SettingsModel | None = None
    sequence: tuple[StepModel, ...] | None = None
    mailboxes: tuple[NonEmpty, ...] | None = None
    webhooks: tuple[WebhookModel, ...] | None = None
    leads: LeadsModel | None = None
    safety: CampaignSafetyModel | None = None
    guards: tuple[GuardSpec, ...] = ()
