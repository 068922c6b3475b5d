"""The value types file models share: one-line text, ids, percentages, days, timezones."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt, StrictStr

DAY_NAMES: tuple[str, ...] = (
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
)
VARIANT_LABELS: tuple[str, ...] = ("A", "B", "C", "D", "E", "F")
HHMM_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def scalar_to_str(value: Any) -> Any:
    """Numbers in YAML (`phone_number: 5551234`, `employees: 50`) mean their text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(value: str) -> str:
    """Names and subjects are shown in terminals, PR comments and Smartlead's UI: a control
    character (NUL, an escape sequence, a newline) has no place in them."""
    found = _CONTROL.search(value)
    if found:
        raise ValueError(
            f"contains a control character (U+{ord(found.group()):04X}); write one line of "
            "plain text"
        )
    return value


Text = Annotated[StrictStr, BeforeValidator(scalar_to_str)]
NonEmpty = Annotated[StrictStr, Field(min_length=1), AfterValidator(one_line)]
Line = Annotated[StrictStr, AfterValidator(one_line)]
PositiveId = Annotated[StrictInt, Field(ge=1)]
Percent = Annotated[StrictInt, Field(ge=0, le=100)]
Day = Literal["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
Label = Literal["A", "B", "C", "D", "E", "F"]


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_timezone(name: str) -> str:
    if name not in known_timezones():
        try:
            ZoneInfo(name)
        except (ValueError, KeyError, OSError):
            close = difflib.get_close_matches(name, sorted(known_timezones()), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ": use an IANA name"
            raise ValueError(f"unknown timezone {name!r}{hint}") from None
    return name
