"""The `leads:` part of a campaign file: lead sources, upload options, pruning."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool, StrictStr, model_validator

from smartlead_sync.desired.fieldtypes import NonEmpty, Text
from smartlead_sync.desired.filemodel import FileModel
from smartlead_sync.state import OtherCampaignDuplicates, StandardLeadField


class InlineLead(FileModel):
    email: StrictStr
    first_name: Text | None = None
    last_name: Text | None = None
    company_name: Text | None = None
    phone_number: Text | None = None
    website: Text | None = None
    location: Text | None = None
    linkedin_profile: Text | None = None
    company_url: Text | None = None
    custom_fields: dict[NonEmpty, Text] = Field(default_factory=dict)


class LeadSourceModel(FileModel):
    """One lead source: a CSV file (path may use `${ENV}`) or an inline list."""

    csv: NonEmpty | None = None
    columns: dict[StandardLeadField, NonEmpty] = Field(default_factory=dict)
    custom_fields: tuple[NonEmpty, ...] | None = None
    delimiter: Literal[",", ";", "\t", "|"] = ","
    inline: tuple[InlineLead, ...] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> LeadSourceModel:
        if (self.csv is None) == (self.inline is None):
            raise ValueError("a lead source needs exactly one of `csv` or `inline`")
        if self.inline is not None and (self.columns or self.custom_fields is not None):
            raise ValueError("`columns` and `custom_fields` apply to `csv` sources only")
        return self


class UploadModel(FileModel):
    """Lead upload settings (§5.2), in words that cannot be misread."""

    ignore_global_block_list: StrictBool = False
    ignore_unsubscribe_list: StrictBool = False
    ignore_community_bounce_list: StrictBool = False
    other_campaign_duplicates: OtherCampaignDuplicates = OtherCampaignDuplicates.SKIP


class LeadsModel(FileModel):
    sources: tuple[LeadSourceModel, ...] = ()
    upload: UploadModel = Field(default_factory=UploadModel)
    prune: StrictBool = False
    allow_blank: tuple[NonEmpty, ...] = ()
