"""Joi-style body checks: the real API validates with celebrate/Joi (smartlead-api.md §2.3).

Messages follow Joi's wording (`"x" is not allowed`, `"x" must be a number`) with the path of
the offending key, e.g. `"lead_list[3].email" is required`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from smartlead_sync.emulator.exchange import flat_error, joi_error


def parse_json_body(raw: bytes) -> Any:
    """The JSON body, or None when there is none; malformed JSON is a 400 like body-parser's."""
    text = raw.decode("utf-8", errors="replace").strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise flat_error(f"Unexpected token in JSON at position {exc.pos}") from None


def path_of(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


def as_object(value: Any, path: str = "value") -> dict[str, Any]:
    if value is None and path == "value":
        return {}
    if not isinstance(value, dict):
        raise joi_error(f'"{path}" must be of type object', path)
    return value


def reject_unknown(obj: dict[str, Any], allowed: Iterable[str], prefix: str = "") -> None:
    allowed_set = set(allowed)
    for key in obj:
        if key not in allowed_set:
            path = path_of(prefix, key)
            raise joi_error(f'"{path}" is not allowed', path)


def require(obj: dict[str, Any], key: str, prefix: str = "") -> Any:
    if key not in obj:
        path = path_of(prefix, key)
        raise joi_error(f'"{path}" is required', path)
    return obj[key]


def check_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise joi_error(f'"{path}" must be a boolean', path)
    return value


def check_str(value: Any, path: str, *, allow_empty: bool = True) -> str:
    if not isinstance(value, str):
        raise joi_error(f'"{path}" must be a string', path)
    if not allow_empty and not value.strip():
        raise joi_error(f'"{path}" is not allowed to be empty', path)
    return value


def check_int(
    value: Any, path: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise joi_error(f'"{path}" must be a number', path)
    if isinstance(value, float) and not value.is_integer():
        raise joi_error(f'"{path}" must be an integer', path)
    number = int(value)
    if minimum is not None and number < minimum:
        raise joi_error(f'"{path}" must be greater than or equal to {minimum}', path)
    if maximum is not None and number > maximum:
        raise joi_error(f'"{path}" must be less than or equal to {maximum}', path)
    return number


def check_optional_int(value: Any, path: str) -> int | None:
    return None if value is None else check_int(value, path)


def check_list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise joi_error(f'"{path}" must be an array', path)
    return value


def check_one_of(value: Any, path: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise joi_error(f'"{path}" must be one of [{", ".join(allowed)}]', path)
    return str(value)


def query_int(
    query: dict[str, str] | Any, name: str, default: int, *, minimum: int, maximum: int
) -> int:
    """An integer query parameter with Joi's messages (source `query`)."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        number = int(raw)
    except ValueError:
        raise joi_error(f'"{name}" must be a number', name, "query") from None
    if number < minimum:
        raise joi_error(f'"{name}" must be greater than or equal to {minimum}', name, "query")
    if number > maximum:
        raise joi_error(f'"{name}" must be less than or equal to {maximum}', name, "query")
    return number
