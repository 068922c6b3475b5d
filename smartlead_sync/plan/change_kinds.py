"""The kinds of change, what every change shows, and the questions asked of a change, each
answered once for rendering, safety, estimates and drift alike.

The kinds are the closed set of changes.py's types, named as plan files and reports name them.
The questions look only at what a change shows (its kind and fields), so a change read back
from a plan file gets the same answers as the runnable one it was saved from.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from smartlead_sync.plan.payloads import Payload
from smartlead_sync.state import Status


class ChangeKind(str, Enum):
    """The kinds as plan files and reports name them."""

    CREATE_CAMPAIGN = "create_campaign"
    PAUSE = "pause"  # a pause ahead of a sequence save of an ACTIVE campaign (§4.2)
    RENAME = "rename"
    UPDATE_SETTINGS = "update_settings"
    UPDATE_SCHEDULE = "update_schedule"
    SAVE_SEQUENCE = "save_sequence"
    ATTACH_MAILBOXES = "attach_mailboxes"
    DETACH_MAILBOXES = "detach_mailboxes"
    CREATE_WEBHOOK = "create_webhook"
    UPDATE_WEBHOOK = "update_webhook"
    DELETE_WEBHOOK = "delete_webhook"
    ADD_LEADS = "add_leads"
    UPDATE_LEADS = "update_leads"
    REMOVE_LEADS = "remove_leads"
    SET_STATUS = "set_status"
    DELETE_CAMPAIGN = "delete_campaign"


# ----- what to show ------------------------------------------------------------------------

Value = str | int | float | bool | None | tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One leaf that changes: `path` like `settings.track_opens` or `step 2.variant A.subject`.
    `before` None: added; `after` None: removed."""

    path: str
    before: Value
    after: Value


@dataclass(frozen=True, slots=True)
class LeadSummary:
    """Leads as shown: a count, at most three masked samples, the names of changed fields."""

    count: int
    samples: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()


class _Judged(Protocol):
    """What the questions below look at: a change's kind and its fields."""

    @property
    def kind(self) -> ChangeKind: ...

    @property
    def fields(self) -> tuple[FieldChange, ...]: ...


class ShownChange(_Judged, Protocol):
    """What every change shows, runnable or read back from a plan file."""

    @property
    def leads(self) -> LeadSummary | None: ...

    @property
    def target(self) -> str | None: ...

    @property
    def note(self) -> str | None: ...

    @property
    def payload(self) -> Payload | None: ...

    @property
    def irreversible(self) -> bool: ...


# ----- the questions asked of a change ------------------------------------------------------

# Kinds that add an object to the account or to a campaign, and kinds that take one off (both
# reversible: an irreversible change is marked as such before either).
_ADDING = frozenset(
    {
        ChangeKind.CREATE_CAMPAIGN,
        ChangeKind.ATTACH_MAILBOXES,
        ChangeKind.CREATE_WEBHOOK,
        ChangeKind.ADD_LEADS,
    }
)
_TAKING_OFF = frozenset({ChangeKind.DETACH_MAILBOXES, ChangeKind.DELETE_WEBHOOK})


def stops_campaign(change: _Judged) -> bool:
    """A final status write to STOPPED, which Smartlead never undoes (§3.6)."""
    return change.kind is ChangeKind.SET_STATUS and any(
        f.path == "status" and f.after == Status.STOPPED.value for f in change.fields
    )


def is_irreversible(change: _Judged) -> bool:
    """Stopping, deleting a campaign and removing leads (their history goes with them)."""
    if change.kind in (ChangeKind.DELETE_CAMPAIGN, ChangeKind.REMOVE_LEADS):
        return True
    return stops_campaign(change)


def adds_object(change: _Judged) -> bool:
    """Creates a campaign or a webhook, attaches mailboxes or adds leads."""
    return change.kind in _ADDING


def takes_off_object(change: _Judged) -> bool:
    """Detaches mailboxes or deletes a webhook (nothing is lost that a later apply cannot
    put back)."""
    return change.kind in _TAKING_OFF
