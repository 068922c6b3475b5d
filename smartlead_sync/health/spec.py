"""What the campaign files say about health: guards (per campaign or in project `defaults:`)
and A/B tests (on a step with variants). Frozen, unknown keys rejected, like every file model.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

MAX_WINDOW_DAYS = 30  # Smartlead's analytics-by-date answers at most 30 days (§8)


class _Spec(BaseModel):
    # defer_build: a model's validator is built on its first use, so that a command pays at
    # start-up only for the models it uses.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def _number(value: Any) -> Any:
    """A percentage is a YAML number: `5` or `2.5`, never a string or a boolean."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("must be a number (a percentage such as 5 or 2.5)")
    return value


class GuardMetric(str, Enum):
    """What a guard watches. Bounce and unsubscribe rates trip above the threshold; the reply
    rate is a floor and trips below it."""

    BOUNCE_RATE = "bounce_rate"
    UNSUBSCRIBE_RATE = "unsubscribe_rate"
    REPLY_RATE = "reply_rate"

    @property
    def is_floor(self) -> bool:
        return self is GuardMetric.REPLY_RATE


class GuardAction(str, Enum):
    PAUSE = "pause"  # `guard --auto-approve` pauses the campaign, and plan keeps it paused
    REPORT = "report"  # shown, never acted on


class GuardSpec(_Spec):
    """One guard. `threshold` is a percentage; below `min_sent` emails it says "not enough
    data". `window_days` counts only the last N days (default: the whole campaign);
    `acknowledged` counts only emails sent after that date, so a reviewed change can resume
    a campaign the guard paused."""

    metric: GuardMetric
    threshold: Annotated[float, Field(gt=0, le=100)]
    min_sent: Annotated[StrictInt, Field(ge=1)] = 100
    window_days: Annotated[StrictInt, Field(ge=1, le=MAX_WINDOW_DAYS)] | None = None
    action: GuardAction = GuardAction.PAUSE
    acknowledged: date | None = None

    @field_validator("threshold", mode="before")
    @classmethod
    def _threshold(cls, value: Any) -> Any:
        return _number(value)

    @field_validator("acknowledged", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a date such as 2026-11-29") from None
        return value


class AbMetric(str, Enum):
    REPLY_RATE = "reply_rate"
    POSITIVE_REPLY_RATE = "positive_reply_rate"
    CLICK_RATE = "click_rate"
    OPEN_RATE = "open_rate"


class OnWinner(str, Enum):
    WINNER_TO_100 = "winner_to_100"  # the winner gets 100 %, the others 0 % (ids and stats kept)
    REMOVE_LOSERS = "remove_losers"  # the losing variants are deleted from the file


class AbTestSpec(_Spec):
    """An A/B test on a step: promote the variant that wins on `metric` at `confidence` %
    once every variant has `min_sends` emails sent."""

    metric: AbMetric = AbMetric.REPLY_RATE
    min_sends: Annotated[StrictInt, Field(ge=1)] = 200
    confidence: Annotated[float, Field(ge=80, le=99.9)] = 95
    on_winner: OnWinner = OnWinner.WINNER_TO_100

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence(cls, value: Any) -> Any:
        return _number(value)
