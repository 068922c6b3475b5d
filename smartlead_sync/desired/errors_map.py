"""Pydantic validation errors -> Problems located at the right file, line and column."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from smartlead_sync.desired.positions import Pos, locate, locate_key
from smartlead_sync.errors import Problem


def validation_problems(
    exc: ValidationError, data: Any, model: type[BaseModel], fallback: Pos
) -> list[Problem]:
    problems = []
    errors = exc.errors(include_url=False)
    deeper = {tuple(e["loc"][:n]) for e in errors for n in range(len(e["loc"]))}
    missing: dict[tuple[int | str, ...], list[str]] = {}
    for error in errors:
        loc: tuple[int | str, ...] = tuple(error["loc"])
        kind = error["type"]
        if kind == "too_short" and loc in deeper:
            continue  # "at least 1 item" only because an item was rejected: noise
        if kind in ("literal_error", "enum"):
            problems.append(_choice(error, data, loc, fallback))
        elif kind == "extra_forbidden":
            key = loc[-1]
            options = _fields_at(model, loc[:-1])
            close = difflib.get_close_matches(str(key), options, n=1)
            hint = f"did you mean `{close[0]}`?" if close else _known(options)
            pos = locate_key(data, loc, fallback)
            problems.append(pos.problem(f"unknown key {key!r}", hint=hint, code="unknown-key"))
        elif kind == "missing":
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
        elif kind in _SHAPES:
            problems.append(_shape(error, data, loc, fallback))
        elif kind == "string_pattern_mismatch":
            pos = locate(data, loc, fallback)
            text = f'{loc[-1]}: {error["input"]!r} is not a time like "09:00" (24-hour, quoted)'
            problems.append(pos.problem(text))
        else:
            problems.append(_other(error, data, loc, model, fallback))
    for parent, keys in missing.items():
        listed = ", ".join(keys)
        problems.append(
            locate(data, parent, fallback).problem(
                f"missing required key{'s' if len(keys) > 1 else ''}: {listed}",
                code="missing-key",
            )
        )
    return problems


# pydantic's type errors name our classes ("instance of SettingsModel"): say it in YAML terms,
# as (what the value must be, how to write it).
_MAPPING = ("a mapping of keys to values", "write `key: value` lines indented under it")
_LIST = ("a list", "write one `- item` per line indented under it, or [a, b]")
_SHAPES = {
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "dict_type": _MAPPING,
    "list_type": _LIST,
    "tuple_type": _LIST,
}


def _shape(error: Any, data: Any, loc: tuple[int | str, ...], fallback: Pos) -> Problem:
    """`leads.sources` item 1 must be a mapping of keys to values, not text."""
    names = ".".join(str(part) for part in loc if isinstance(part, str) and part != "[key]")
    where = f"`{names}`" if names else "the file"
    if loc and isinstance(loc[-1], int):
        where += f" item {loc[-1] + 1}"
    match error["input"]:
        case None:
            found = "empty"
        case bool():
            found = "true/false"
        case int() | float():
            found = "a number"
        case str():
            found = "text"
        case list() | tuple():
            found = "a list"
        case _:
            found = "a mapping"
    must, hint = _SHAPES[error["type"]]
    return locate(data, loc, fallback).problem(f"{where} must be {must}, not {found}", hint=hint)


def _other(
    error: Any, data: Any, loc: tuple[int | str, ...], model: type[BaseModel], fallback: Pos
) -> Problem:
    """pydantic's own message, prefixed with the field it is about (not for model rules)."""
    message = str(error["msg"]).removeprefix("Value error, ")
    names = [part for part in loc if isinstance(part, str) and part != "[key]"]
    if names and not _is_model(model, loc):
        message = f"{names[-1]}: {message}"
    return locate(data, loc, fallback).problem(message)


def _choice(error: Any, data: Any, loc: tuple[int | str, ...], fallback: Pos) -> Problem:
    """`days: 'tuseday' is not one of: sunday, monday, ...` with the closest one as a hint."""
    options = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
    names = [part for part in loc if isinstance(part, str)]
    field = f"{names[-1]}: " if names else ""
    value = error.get("input")
    close = difflib.get_close_matches(str(value), options, n=1)
    return locate(data, loc, fallback).problem(
        f"{field}{value!r} is not one of: {', '.join(options)}",
        hint=f"did you mean `{close[0]}`?" if close else None,
    )


def _known(options: Sequence[str]) -> str | None:
    return f"known keys: {', '.join(options)}" if options else None


def _model_at(model: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _is_model(model: type[BaseModel], loc: Sequence[int | str]) -> bool:
    """Whether `loc` names a whole model (a model-level rule), not one of its fields."""
    return not loc or _model_at(model, loc) is not None


def _fields_at(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    found = _model_at(model, loc)
    return list(found.model_fields) if found is not None else []


def _inner_model(annotation: Any) -> Any:
    """The model class inside `X | None`, `tuple[X, ...]`, `Annotated[...]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
