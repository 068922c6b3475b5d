"""Every campaign setting, declared once (smartlead-api.md §3.3, §3.7, §3.9).

One `CampaignSetting` per key under `settings:` in a campaign file: the state field(s) it fills,
its key on POST /campaigns/{id}/settings, its key on GET /campaigns/{id} (None when Smartlead
never returns it), how its values convert, and what it means in the user's words. The file model
(`desired/models.py`), both mappings (`desired/file_to_state.py`, `smartlead/state_mapping.py`),
import's reverse mapping (`desired/reverse.py`), the diff's readable/write-only split, the schema
descriptions and the README table all read this table; adding a setting is one entry here and
its field in `state.CampaignSettings` (checked below when this module is imported).
"""

# ruff: noqa: E501  (a table of sentences reads best one entry a line)

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum

from smartlead_sync.state import CampaignSettings, OutOfOffice, StopOn


class Kind(str, Enum):
    """A value that is the same in the file, the state and on the wire; only checks differ."""

    FLAG = "flag"
    PERCENT = "percent"  # a whole number 0..100
    TEXT = "text"  # the file must write text
    LOOSE_TEXT = "loose_text"  # text, and a number in the file means its text (`5` -> "5")


@dataclass(frozen=True)
class Scalar:
    kind: Kind


@dataclass(frozen=True)
class Choice:
    """A closed set of words: the file writes `StopOn` values, the API its own words."""

    api_words: dict[StopOn, str]


@dataclass(frozen=True)
class TrackFlag:
    """One tracked event: its word in the file, its state flag, its API names when NOT tracked."""

    word: str
    field: str
    read: str
    write: str


@dataclass(frozen=True)
class Tracking:
    """A list of tracked words in the file, one flag each in the state, and on the wire the
    list of what is NOT tracked, in a read and a write vocabulary (§3.7, §3.9)."""

    flags: tuple[TrackFlag, ...]


@dataclass(frozen=True)
class Part:
    """One key of an object setting: file key, `OutOfOffice` field, API key, meaning."""

    yaml: str
    state: str
    api: str
    description: str


@dataclass(frozen=True)
class Nested:
    """An object of optional parts (`OutOfOffice` in the state); parts left out are not sent."""

    parts: tuple[Part, ...]


@dataclass(frozen=True)
class IdList:
    """A list of whole numbers, compared as a set."""

    noun: str


Codec = Scalar | Choice | Tracking | Nested | IdList


@dataclass(frozen=True)
class CampaignSetting:
    """One key under `settings:`. `state` defaults to the file key; `api_read` None means
    write-only: Smartlead accepts it but GET never returns it, so plan cannot check it (§3.3)."""

    yaml: str
    codec: Codec
    api_write: str
    api_read: str | None
    description: str
    state: str = ""

    @property
    def state_fields(self) -> tuple[str, ...]:
        """The `CampaignSettings` fields this setting fills, in order."""
        if isinstance(self.codec, Tracking):
            return tuple(flag.field for flag in self.codec.flags)
        return (self.state or self.yaml,)

    @property
    def readable(self) -> bool:
        return self.api_read is not None


def _same(yaml: str, codec: Codec, description: str, *, readable: bool = False) -> CampaignSetting:
    """A setting with one name in the file, the state and on the wire."""
    return CampaignSetting(yaml, codec, yaml, yaml if readable else None, description)


CAMPAIGN_SETTINGS: tuple[CampaignSetting, ...] = (
    CampaignSetting(
        "track",
        Tracking(
            (
                TrackFlag("opens", "track_opens", "DONT_EMAIL_OPEN", "DONT_TRACK_EMAIL_OPEN"),
                TrackFlag("clicks", "track_clicks", "DONT_LINK_CLICK", "DONT_TRACK_LINK_CLICK"),
                TrackFlag(
                    "replies",
                    "track_replies",
                    "DONT_REPLY_TO_AN_EMAIL",
                    "DONT_TRACK_REPLY_TO_AN_EMAIL",
                ),
            )
        ),
        "track_settings",
        "track_settings",
        "What is tracked: any of opens, clicks, replies ([] tracks nothing).",
    ),
    CampaignSetting(
        "stop_on",
        Choice(
            {
                StopOn.REPLY: "REPLY_TO_AN_EMAIL",
                StopOn.CLICK: "CLICK_ON_A_LINK",
                StopOn.OPEN: "OPEN_AN_EMAIL",
            }
        ),
        "stop_lead_settings",
        "stop_lead_settings",
        "Stop following up a lead once it does this: reply, click or open.",
    ),
    CampaignSetting(
        "plain_text",
        Scalar(Kind.FLAG),
        "send_as_plain_text",
        "send_as_plain_text",
        "Send emails as plain text instead of HTML.",
        state="send_as_plain_text",
    ),
    _same(
        "follow_up_percentage",
        Scalar(Kind.PERCENT),
        "Share (0..100) of each day's sending that goes to follow-ups; the rest goes to new leads.",
        readable=True,
    ),
    _same(
        "unsubscribe_text",
        Scalar(Kind.TEXT),
        "The text of the unsubscribe link (%unsubscribe-text%).",
        readable=True,
    ),
    CampaignSetting(
        "ai_esp_matching",
        Scalar(Kind.FLAG),
        "enable_ai_esp_matching",
        "enable_ai_esp_matching",
        "Let Smartlead match sender and recipient email providers.",
    ),
    _same(
        "force_plain_text",
        Scalar(Kind.FLAG),
        "Strip HTML from every email. Smartlead never shows it back, so plan cannot check it.",
    ),
    _same(
        "auto_pause_domain_leads_on_reply",
        Scalar(Kind.FLAG),
        "When a lead replies, pause the other leads of the same company domain. Not shown back by Smartlead.",
    ),
    _same(
        "ignore_ss_mailbox_sending_limit",
        Scalar(Kind.FLAG),
        "Smartlead's ignore_ss_mailbox_sending_limit option, sent as written. Not shown back by Smartlead.",
    ),
    _same(
        "domain_level_rate_limit",
        Scalar(Kind.FLAG),
        "Pace sending per recipient domain. Not shown back by Smartlead.",
    ),
    _same(
        "add_unsubscribe_tag",
        Scalar(Kind.FLAG),
        "Add an unsubscribe header to every email. Not shown back by Smartlead.",
    ),
    _same(
        "bounce_autopause_threshold",
        Scalar(Kind.LOOSE_TEXT),
        "Bounces after which Smartlead pauses the campaign. Not shown back by Smartlead.",
    ),
    CampaignSetting(
        "out_of_office",
        Nested(
            (
                Part(
                    "ignore_as_reply",
                    "ignore_ooo_as_reply",
                    "ignoreOOOasReply",
                    "An out-of-office answer does not count as a reply.",
                ),
                Part(
                    "auto_reactivate",
                    "auto_reactivate_ooo",
                    "autoReactivateOOO",
                    "Resume a lead some days after an out-of-office answer.",
                ),
                Part(
                    "reactivate_after_days",
                    "reactivate_ooo_with_delay",
                    "reactivateOOOwithDelay",
                    "Days after which such a lead is resumed.",
                ),
                Part(
                    "auto_categorize",
                    "auto_categorize_ooo",
                    "autoCategorizeOOO",
                    "Put out-of-office answers in their own category.",
                ),
            )
        ),
        "out_of_office_detection_settings",
        None,
        "How out-of-office replies are handled. Not shown back by Smartlead.",
    ),
    _same(
        "ai_categorisation_options",
        IdList("category ids"),
        "Ids of the reply categories Smartlead's AI may assign. Not shown back by Smartlead.",
    ),
)

READABLE_SETTINGS: tuple[str, ...] = tuple(
    name for s in CAMPAIGN_SETTINGS if s.readable for name in s.state_fields
)
WRITE_ONLY_SETTINGS: tuple[str, ...] = tuple(
    name for s in CAMPAIGN_SETTINGS if not s.readable for name in s.state_fields
)


def _check_table() -> None:
    """The state types hold exactly the fields the table fills, so neither can drift."""
    declared = sorted(f.name for f in fields(CampaignSettings))
    if declared != sorted(READABLE_SETTINGS + WRITE_ONLY_SETTINGS):
        raise TypeError(f"CampaignSettings fields {declared} do not follow CAMPAIGN_SETTINGS")
    for setting in CAMPAIGN_SETTINGS:
        if setting.readable and isinstance(setting.codec, Nested | IdList):
            raise TypeError(f"{setting.yaml}: only plain, choice and tracking settings are read")
        if isinstance(setting.codec, Nested):
            parts = tuple(part.state for part in setting.codec.parts)
            if parts != tuple(f.name for f in fields(OutOfOffice)):
                raise TypeError(f"OutOfOffice fields do not follow {setting.yaml}'s parts")


_check_table()
