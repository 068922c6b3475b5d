"""The `settings:` part of a campaign file, built from `campaign_settings_table`.

`SettingsModel` has one optional field per table entry, in table order, typed by the entry's
codec; anything left out is not managed. Read its values through the table (`getattr` by the
entry's `yaml` name): its fields exist only at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictBool, StrictInt, StrictStr, create_model

from smartlead_sync.campaign_settings_table import (
    CAMPAIGN_SETTINGS,
    Choice,
    Codec,
    IdList,
    Kind,
    Nested,
    Scalar,
    Tracking,
)
from smartlead_sync.desired.fieldtypes import Percent, Text
from smartlead_sync.desired.filemodel import FileModel


class OutOfOfficeModel(FileModel):
    """The parts of the `out_of_office` setting (the table's `Nested` parts, by file key)."""

    ignore_as_reply: StrictBool | None = None
    auto_reactivate: StrictBool | None = None
    reactivate_after_days: Annotated[StrictInt, Field(ge=0)] | None = None
    auto_categorize: StrictBool | None = None


# Built from the table's words at run time, which static types cannot spell.
_LITERAL: Any = Literal
_TUPLE: Any = tuple
_SCALAR_TYPES: dict[Kind, Any] = {
    Kind.FLAG: StrictBool,
    Kind.PERCENT: Percent,
    Kind.TEXT: StrictStr,
    Kind.LOOSE_TEXT: Text,
}


def _unique_words(value: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if value is not None and len(set(value)) != len(value):
        raise ValueError("a tracking word is listed twice")
    return value


def _annotation(codec: Codec) -> Any:
    """The optional file type of one setting."""
    match codec:
        case Scalar(kind):
            return _SCALAR_TYPES[kind] | None
        case Choice(api_words):
            return type(next(iter(api_words))) | None
        case Tracking(flags):
            words = _LITERAL[tuple(flag.word for flag in flags)]
            return Annotated[_TUPLE[words, ...] | None, AfterValidator(_unique_words)]
        case Nested(parts):
            if tuple(OutOfOfficeModel.model_fields) != tuple(part.yaml for part in parts):
                raise TypeError("OutOfOfficeModel fields do not follow the table's parts")
            return OutOfOfficeModel | None
        case IdList():
            return tuple[StrictInt, ...] | None


def _settings_model() -> type[FileModel]:
    fields: dict[str, Any] = {s.yaml: (_annotation(s.codec), None) for s in CAMPAIGN_SETTINGS}
    return create_model(
        "SettingsModel",
        __base__=FileModel,
        __doc__="Campaign settings (§3.7). Anything left out is not managed.",
        __module__=__name__,
        **fields,
    )


if TYPE_CHECKING:
    SettingsModel = FileModel
else:
    SettingsModel = _settings_model()
