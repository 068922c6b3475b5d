"""What a plan does differently from the plan that was reviewed, line by line, for people.

The fingerprints decide whether a saved plan is stale; this says how, in the words of the
rendered plan: each change of each campaign (a field with its before and after, a lead count)
is one line, and the lines only in the reviewed plan or only in the new one are listed. A
field both plans change, but differently, is one line that says which side differs (an email
body's text is never shown). Built from the rows a plan file keeps, so a reviewed plan read
back from JSON compares the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from smartlead_sync.plan.plan_model import ShownPlan
from smartlead_sync.render.rows import CampaignRow, ChangeRow, FieldRow, campaign_row

_SHOWN_CHARS = 80


@dataclass(frozen=True)
class SinceReview:
    """Lines of the new plan that the reviewed one lacks (`added`), the reverse (`dropped`),
    and fields both change differently (`changed`, one line each)."""

    added: tuple[str, ...]
    dropped: tuple[str, ...]
    changed: tuple[str, ...] = ()

    @property
    def looks_the_same(self) -> bool:
        """True when every line reads the same: only what a change writes differs (lead data
        behind the same count, a write-only setting)."""
        return not self.added and not self.dropped and not self.changed


_Key = tuple[str, ...]


def since_review(reviewed: ShownPlan, now: ShownPlan) -> SinceReview:
    before = Counter(_lines(reviewed))
    after = Counter(_lines(now))
    added = list((after - before).elements())
    dropped = list((before - after).elements())
    changed = []
    for new in list(added):
        old = next((key for key in dropped if key[:3] == new[:3] and len(new) > 2), None)
        if old is not None:
            added.remove(new)
            dropped.remove(old)
            changed.append(_changed(old, new))
    return SinceReview(
        added=tuple(_shown(key) for key in added),
        dropped=tuple(_shown(key) for key in dropped),
        changed=tuple(changed),
    )


def _changed(reviewed: _Key, now: _Key) -> str:
    """One line for a field both plans change: which side of the change differs."""
    name, title, path, before, after, body = now
    if body:
        sides = [
            side
            for side, differs in (("the live text", reviewed[3] != before),
                                  ("the text to write", reviewed[4] != after))
            if differs
        ]  # fmt: skip
        verb = "differ" if len(sides) > 1 else "differs"
        return f"{name}: {title}: {path}: {' and '.join(sides)} {verb} from the reviewed plan"
    return f"{name}: {title}: {path}: {_arrow(before, after)} (reviewed: {_arrow(*reviewed[3:5])})"


def _arrow(before: str, after: str) -> str:
    return f"{_short(before) or '(unset)'} -> {_short(after) or '(unset)'}"


def _lines(plan: ShownPlan) -> list[_Key]:
    lines: list[_Key] = []
    for campaign in plan.campaigns:
        if campaign.changes:
            row = campaign_row(campaign)
            for change in row.changes:
                lines += _change_lines(row, change)
    return lines


def _change_lines(campaign: CampaignRow, change: ChangeRow) -> list[_Key]:
    head = (campaign.name, f"{change.marker.value} {change.title}")
    if not change.fields:
        return [head]
    return [(*head, *_field(field)) for field in change.fields]


def _field(field: FieldRow) -> tuple[str, ...]:
    return (field.path, field.before or "", field.after or "", "body" if field.is_body else "")


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _shown(key: _Key) -> str:
    name, title, *field = key
    if not field:
        return f"{name}: {title}"
    path, before, after, body = field
    if body:
        return f"{name}: {title}: {path} (the text differs)"
    if not before:
        return f"{name}: {title}: {path} = {_short(after)}"
    if not after:
        return f"{name}: {title}: {path} removed (was {_short(before)})"
    return f"{name}: {title}: {path}: {_short(before)} -> {_short(after)}"
