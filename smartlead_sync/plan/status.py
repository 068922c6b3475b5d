"""Campaign status transitions: which status writes a plan needs, and which are impossible.

Smartlead writes START/PAUSED/STOPPED and reads ACTIVE/PAUSED/STOPPED/DRAFTED/COMPLETED (§3.6).
STOPPED is terminal; DRAFTED and COMPLETED are set only by Smartlead. A sequence cannot be saved
while ACTIVE (§4.2), so such a save is wrapped in a temporary pause.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartlead_sync.plan.change_kinds import FieldChange
from smartlead_sync.plan.changes import PauseForSequenceChange, SetStatusChange
from smartlead_sync.plan.payloads import SetStatus
from smartlead_sync.state import Status


@dataclass(frozen=True)
class StatusChanges:
    before: tuple[PauseForSequenceChange, ...] = ()  # ahead of the configuration writes
    after: tuple[SetStatusChange, ...] = ()  # the final status write
    problem: str | None = None
    hint: str | None = None


class _Impossible(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def target_status(want: Status | None, have: Status) -> Status | None:
    """The status to write so that `have` becomes `want`, or None when no write is needed."""
    if want is None or want is have:
        return None
    if have is Status.STOPPED:
        raise _Impossible(
            f"it is stopped in Smartlead, which is permanent; the file asks for {want.value}",
            "set `status: stopped`, or create a new campaign under another name",
        )
    if have is Status.ARCHIVED:
        raise _Impossible(
            f"it is archived in Smartlead; the file asks for {want.value}",
            "unarchive it in Smartlead first, or remove it from the files",
        )
    if want is Status.DRAFTED:
        raise _Impossible(
            f"it is {have.value} in Smartlead and cannot return to drafted",
            "use `status: paused` to halt it",
        )
    if want is Status.ACTIVE and have is Status.COMPLETED:
        return None  # it ran to the end; Smartlead set COMPLETED itself
    return want


def _fields(before: Status, after: Status) -> tuple[FieldChange, ...]:
    return (FieldChange("status", before.value, after.value),)


def status_changes(want: Status | None, have: Status | None, *, pausing: bool) -> StatusChanges:
    """Status writes around a campaign's other changes. `have` is the live status (DRAFTED for
    a campaign about to be created, None when unknown); `pausing`: a sequence save is planned."""
    if have is None:
        return StatusChanges()
    try:
        target = target_status(want, have)
    except _Impossible as exc:
        return StatusChanges(problem=exc.message, hint=exc.hint)
    if not (pausing and have is Status.ACTIVE):
        if target is None:
            return StatusChanges()
        final = SetStatusChange(SetStatus(target), fields=_fields(have, target))
        return StatusChanges(after=(final,))
    why = "Smartlead cannot save the sequence of an active campaign"
    if target is Status.PAUSED:  # the pause the file asks for, done first
        asked = PauseForSequenceChange(SetStatus(target), fields=_fields(have, target), note=why)
        return StatusChanges(before=(asked,))
    pause = PauseForSequenceChange(
        SetStatus(Status.PAUSED, temporary=True),
        fields=_fields(have, Status.PAUSED),
        note=f"temporary: {why}; the status is restored at the end",
    )
    if target is None:
        final = SetStatusChange(
            SetStatus(have, restore=True),
            fields=_fields(Status.PAUSED, have),
            note="restores the status after the sequence save",
        )
    else:
        final = SetStatusChange(SetStatus(target), fields=_fields(Status.PAUSED, target))
    return StatusChanges(before=(pause,), after=(final,))
