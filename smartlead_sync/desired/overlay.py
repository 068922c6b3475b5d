"""Layering of campaign documents: project defaults < `extends:` templates < the campaign file.

Mappings merge key by key, lists are replaced, `key: null` removes an inherited key, and a
`sequence:` written as a mapping (`{2: {subject: ...}}`) overrides single steps of the inherited
sequence by step number. Positions travel with the values, so errors point at the file that set
the value.
"""

from __future__ import annotations

from typing import Any

from smartlead_sync.desired.positions import PosDict, PosList
from smartlead_sync.errors import Problem

# Setting one of these in an overlay replaces the other, so `body_file:` can override `body:`.
_EXCLUSIVE = {"body": "body_file", "body_file": "body"}


def overlay(base: PosDict, top: PosDict, problems: list[Problem]) -> PosDict:
    """`top` laid over `base`; neither input is changed."""
    merged = PosDict(top.pos)
    for key, value in base.items():
        merged.put(key, value, base.key_pos[key], base.value_pos[key])
    for key, value in top.items():
        key_pos, value_pos = top.key_pos[key], top.value_pos[key]
        other = _EXCLUSIVE.get(key) if isinstance(key, str) else None
        if other is not None and other in merged and other not in top:
            _remove(merged, other)
        if value is None:
            _remove(merged, key)
            continue
        old = merged.get(key)
        new = value
        if isinstance(old, PosDict) and isinstance(value, PosDict):
            new = overlay(old, value, problems)
        elif key == "sequence" and isinstance(value, PosDict):
            new = _override_steps(old, value, problems)
        merged.put(key, new, key_pos, value_pos)
    return merged


def _remove(mapping: PosDict, key: Any) -> None:
    mapping.pop(key, None)
    mapping.key_pos.pop(key, None)
    mapping.value_pos.pop(key, None)


def _override_steps(base: Any, steps: PosDict, problems: list[Problem]) -> Any:
    if not isinstance(base, PosList):
        problems.append(
            steps.pos.problem(
                "sequence overrides by step number need an inherited sequence",
                hint="write the sequence as a list, or `extends:` a template that has one",
            )
        )
        return base
    merged = PosList(base.pos)
    for item, pos in zip(base, base.item_pos, strict=True):
        merged.add(item, pos)
    for number, patch in steps.items():
        where = steps.key_pos[number]
        if not isinstance(number, int) or not 1 <= number <= len(base):
            problems.append(
                where.problem(f"no step {number!r} to override: the sequence has {len(base)}")
            )
            continue
        old = merged[number - 1]
        if isinstance(old, PosDict) and isinstance(patch, PosDict):
            merged[number - 1] = overlay(old, patch, problems)
        else:
            merged[number - 1] = patch
        merged.item_pos[number - 1] = steps.value_pos[number]
    return merged
