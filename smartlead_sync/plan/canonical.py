"""Canonical plain-JSON form of the shared types, and sha256 digests over it.

One encoding for fingerprints and for plan files: dataclasses become objects (field order
kept, keys sorted when hashed), enums their values, tuples lists, mappings objects. Leads,
which only fingerprints see, become flat lists of their fields in declaration order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from enum import Enum
from operator import attrgetter
from typing import cast

from pydantic import BaseModel

from smartlead_sync.state import Lead

JSON = None | bool | int | float | str | list["JSON"] | dict[str, "JSON"]


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


_SCALARS = frozenset({str, int, float, bool, type(None)})


# A lead as the tuple of its fields in declaration order, read in C: leads are by far the
# most numerous objects, and the JSON encoder takes tuples (custom fields too) as they are.
_lead = attrgetter(*(f.name for f in fields(Lead)))


def jsonable(value: object) -> JSON:
    """Plain JSON data for `value` (dataclasses, enums, tuples, mappings, scalars)."""
    kind = type(value)
    if kind in _SCALARS:  # exact types first: this runs once per lead field
        return value  # type: ignore[return-value]
    if kind is Lead:  # by far the most numerous object: a flat list, no generic walk
        return cast(JSON, _lead(value))
    if kind is tuple or kind is list:
        return [jsonable(v) for v in value]  # type: ignore[attr-defined]
    if isinstance(value, Enum):
        return jsonable(value.value)
    if is_dataclass(value) and not isinstance(value, type):
        return {name: jsonable(getattr(value, name)) for name in _field_names(kind)}
    if isinstance(value, BaseModel):  # a file model carried as is (e.g. a guard)
        return jsonable(value.model_dump(mode="json"))
    if isinstance(value, Mapping):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    raise TypeError(f"no canonical form for {kind.__name__}")


def digest(value: object) -> str:
    """`sha256:<hex>` of the canonical JSON of `value`."""
    text = json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
