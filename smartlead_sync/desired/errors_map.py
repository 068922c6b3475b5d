"""Pydantic validation errors -> Problems located at the right file, line and column."""

from __future__ import annotations

import difflib
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
    for error in exc.errors(include_url=False):
        loc: tuple[int | str, ...] = tuple(error["loc"])
        kind = error["type"]
        if kind == "extra_forbidden":
            key = loc[-1]
            options = _fields_at(model, loc[:-1])
            close = difflib.get_close_matches(str(key), options, n=1)
            hint = f"did you mean `{close[0]}`?" if close else _known(options)
            pos = locate_key(data, loc, fallback)
            problems.append(pos.problem(f"unknown key {key!r}", hint=hint, code="unknown-key"))
        elif kind == "missing":
            pos = locate(data, loc[:-1], fallback)
            problems.append(pos.problem(f"missing required key {loc[-1]!r}", code="missing-key"))
        elif kind == "string_pattern_mismatch":
            pos = locate(data, loc, fallback)
            text = f'{loc[-1]}: {error["input"]!r} is not a time like "09:00" (24-hour, quoted)'
            problems.append(pos.problem(text))
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            names = [part for part in loc if isinstance(part, str) and part != "[key]"]
            if names and not _is_model(model, loc):
                message = f"{names[-1]}: {message}"
            problems.append(locate(data, loc, fallback).problem(message))
    return problems


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
