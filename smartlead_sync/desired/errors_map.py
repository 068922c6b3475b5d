"""Pydantic validation errors -> Problems located at the right file, line and column."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from smartlead_sync.desired.fieldtypes import HHMM_PATTERN
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
        elif kind in _SCALARS:
            problems.append(_scalar(error, data, loc, model, fallback))
        elif kind in _BOUNDS:
            problems.append(_bound(error, data, loc, fallback))
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


# pydantic's scalar type errors ("Input should be a valid integer"), in the same terms, as
# (what the value must be, how to write it: {key} is the key, {value} what was written).
_TEXT = ("text", 'quote it: {key}"{value}"')
_WHOLE = ("a whole number", "write digits without quotes, such as {key}3")
_NUMBER = ("a number", "write it without quotes, such as {key}2.5")
_BOOL = ("true or false", "write {key}true or {key}false, without quotes")
_SCALARS = {
    "string_type": _TEXT,
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_from_float": _WHOLE,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "bool_type": _BOOL,
    "bool_parsing": _BOOL,
}
_TIME_HINT = 'write times as text in quotes: {key}"09:00"'
_NESTED_TEXT_HINT = "write the text on the key's line, not a list or mapping under it"


# pydantic's range errors: how the limit reads, from the error's context.
_BOUNDS = {
    "greater_than_equal": "at least {ge}",
    "greater_than": "more than {gt}",
    "less_than_equal": "at most {le}",
    "less_than": "less than {lt}",
    "string_too_long": "at most {max_length} characters long",
    "string_too_short": "at least {min_length} characters long",
}


def _bound(error: Any, data: Any, loc: tuple[int | str, ...], fallback: Pos) -> Problem:
    """`schedule.minutes_between_emails` must be at least 1, not -3."""
    limit = _BOUNDS[error["type"]].format(**error.get("ctx", {}))
    value = error["input"]
    if value == "":
        return locate(data, loc, fallback).problem(f"{_where(loc)} must not be empty")
    given = f"{len(value)} characters" if isinstance(value, str) else str(value)
    return locate(data, loc, fallback).problem(f"{_where(loc)} must be {limit}, not {given}")


def _shape(error: Any, data: Any, loc: tuple[int | str, ...], fallback: Pos) -> Problem:
    """`leads.sources` item 1 must be a mapping of keys to values, not text."""
    must, hint = _SHAPES[error["type"]]
    message = f"{_where(loc)} must be {must}, not {_found(error['input'])}"
    return locate(data, loc, fallback).problem(message, hint=hint)


def _scalar(
    error: Any, data: Any, loc: tuple[int | str, ...], model: type[BaseModel], fallback: Pos
) -> Problem:
    """`schedule.start` must be text, not a number (write times as text in quotes: ...)."""
    value = error["input"]
    must, hint = _SCALARS[error["type"]]
    found = _found(value)
    if must == _WHOLE[0] and isinstance(value, float):
        found = f"a fraction ({value:g})"
    if must == "text" and _is_time(model, loc):
        hint = _TIME_HINT
    elif must == "text" and isinstance(value, (dict, list, tuple)):
        hint = _NESTED_TEXT_HINT
    key = f"{loc[-1]}: " if loc and isinstance(loc[-1], str) else ""
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    hint = hint.replace("{key}", key).replace("{value}", shown)
    return locate(data, loc, fallback).problem(
        f"{_where(loc)} must be {must}, not {found}", hint=hint
    )


def _where(loc: tuple[int | str, ...]) -> str:
    names = ".".join(str(part) for part in loc if isinstance(part, str) and part != "[key]")
    where = f"`{names}`" if names else "the file"
    if loc and isinstance(loc[-1], int):
        where += f" item {loc[-1] + 1}"
    return where


def _found(value: Any) -> str:
    """What a YAML value is, in YAML terms."""
    match value:
        case None:
            return "empty"
        case bool():
            return "true/false"
        case int() | float():
            return "a number"
        case str():
            return "text"
        case list() | tuple():
            return "a list"
        case _:
            return "a mapping"


def _is_time(model: type[BaseModel], loc: tuple[int | str, ...]) -> bool:
    """Whether `loc` is a field written as "HH:MM" (a number there is `start: 9`)."""
    parent = _model_at(model, loc[:-1]) if loc and isinstance(loc[-1], str) else None
    info = parent.model_fields.get(str(loc[-1])) if parent is not None else None
    patterns = (getattr(m, "pattern", None) for m in (info.metadata if info else ()))
    return HHMM_PATTERN in patterns


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
    if isinstance(value, (dict, list, tuple)) or value is None:
        return locate(data, loc, fallback).problem(
            f"{_where(loc)} must be one of: {', '.join(options)}; not {_found(value)}",
            hint=f"write one of them on the key's line, such as {field}{options[0]}"
            if options
            else None,
        )
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
