"""How a 2xx body is read against its declared shape (`shapes.py`), and what "unusable" is.

A body that does not match raises `Unusable`, which the client turns into an API error
(retried like a 5xx on reads): an unreadable answer never means "nothing there". Only the
documented "not found" answers raise `Absent`: `{}` or an empty body on a single-resource GET
(§2.3, §5.4). Values come back as plain JSON (dicts and lists, numbers coerced) for
`state_mapping.py`; plain-text `success` on a write becomes `{ok: true, message}` (§5.6).
"""

from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from pydantic import ValidationError as ModelError

from smartlead_sync.smartlead.coerce import as_int
from smartlead_sync.smartlead.shapes import ApiModel


class Unusable(Exception):
    """A 2xx body that does not have the route's declared shape; says what was wrong."""


class Absent(Exception):
    """The documented "not found" answer of a single-resource GET (§2.3): `{}` or no body."""


def describe_body(text: str) -> str:
    """A few words on what came back instead, for the error message (never the body itself:
    it may echo the request, and an HTML page says nothing useful)."""
    stripped = text.strip()
    if not stripped:
        return "an empty body"
    if stripped.startswith("<"):
        return "an HTML page"
    if stripped[0] in "{[":
        return "JSON that breaks off (truncated)"
    return "plain text"


def _decode(text: str) -> Any:
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except ValueError:
        raise Unusable(describe_body(text)) from None


def _what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        message = value.get("message") or value.get("error")
        if len(value) <= 3 and isinstance(message, str):
            return "a bare message object"
        return "an object of the wrong shape"
    if isinstance(value, list):
        return "an array"
    return f"a JSON {type(value).__name__}"


def _first_error(exc: ModelError) -> str:
    """Where and what, without values; map keys that are emails (lead id maps) are hidden."""
    error = exc.errors()[0]
    parts = ("<email>" if "@" in str(part) else str(part) for part in error["loc"])
    where = ".".join(parts) or "the body"
    return f"{where}: {error['msg']}"


@functools.cache
def _list_adapter(model: type[ApiModel]) -> TypeAdapter[list[ApiModel]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


class Shape:
    """What a 2xx body of one route must be; `read` returns the value or raises Unusable."""

    expected: str

    def read(self, text: str) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class ListOf(Shape):
    """A bare JSON array of `model` items (§1); a `{data: [...]}` wrapper is tolerated."""

    model: type[ApiModel]
    expected: str

    def read(self, text: str) -> Any:
        value = _decode(text)
        if isinstance(value, dict) and isinstance(value.get("data"), list):
            value = value["data"]
        if not isinstance(value, list):
            raise Unusable(_what(value))
        try:
            items = _list_adapter(self.model).validate_python(value)
        except ModelError as exc:
            raise Unusable(f"item {_first_error(exc)}") from None
        return [item.model_dump(exclude_unset=True) for item in items]


@dataclass(frozen=True)
class ObjectOf(Shape):
    """One JSON object. With `absent_when_empty`, `{}` or no body means "not found" (§2.3);
    with `write`, an `{ok: false, ...}` object is a refusal, passed on for the caller to report
    (§2.3 shows writes refused that way with HTTP 200)."""

    model: type[ApiModel]
    expected: str
    absent_when_empty: bool = False
    write: bool = False

    def read(self, text: str) -> Any:
        if self.absent_when_empty and not text.strip():
            raise Absent
        value = _decode(text)
        if self.absent_when_empty and value == {}:
            raise Absent
        if not isinstance(value, dict):
            raise Unusable(_what(value))
        try:
            return self.model.model_validate(value).model_dump(exclude_unset=True)
        except ModelError as exc:
            if self.write and value.get("ok") is False:
                return value
            raise Unusable(f"{_what(value)} ({_first_error(exc)})") from None


@dataclass(frozen=True)
class Acknowledgement(Shape):
    """A write's reply we only need to be positive: an object, plain text such as `success`
    (§5.6), or nothing. An HTML page or broken JSON says nothing about what happened."""

    expected: str = "an acknowledgement"

    def read(self, text: str) -> Any:
        stripped = text.strip()
        if not stripped:
            return {"ok": True}
        if stripped[0] not in "{[<":
            return {"ok": True, "message": stripped}
        value = _decode(stripped) if stripped[0] != "<" else None
        if not isinstance(value, dict):
            raise Unusable(describe_body(text) if value is None else _what(value))
        return value


@dataclass(frozen=True)
class LeadExport(Shape):
    """The leads-export CSV (§5.7): a header naming `id` and `email`, every row complete.

    Returns the rows as dicts; an empty body raises Absent (the caller pages instead).
    """

    expected: str = "CSV with id and email columns"

    def read(self, text: str) -> Any:
        body = text.lstrip("\ufeff")
        if not body.strip():
            raise Absent
        if body.lstrip()[0] in "{[<":
            raise Unusable(describe_body(body) if body.lstrip()[0] == "<" else "JSON, not CSV")
        try:
            reader = csv.DictReader(io.StringIO(body), strict=True)
            columns = set(reader.fieldnames or ())
            if not {"id", "email"} <= columns:
                raise Unusable("CSV without id and email columns")
            rows = list(reader)
        except csv.Error as exc:
            raise Unusable(f"broken CSV ({exc})") from None
        for number, row in enumerate(rows, start=2):
            if None in row.values() or None in row or as_int(row["id"]) is None:
                raise Unusable(f"CSV row {number} is incomplete or has no lead id (truncated?)")
        return rows
