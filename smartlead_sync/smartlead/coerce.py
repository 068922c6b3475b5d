"""Lenient readers for API values: counts and ids often arrive as strings (smartlead-api.md §1)."""

from __future__ import annotations

import json
from typing import Any

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def as_int(value: Any) -> int | None:
    """`42`, `"42"`, `"40%"`, `42.0` -> 42; anything else -> None. Python ints are 64-bit safe."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip().rstrip("%").strip()
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


def as_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def as_str(value: Any) -> str | None:
    """Text, or None for null and blank (the export cannot tell "" from missing)."""
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def as_string_list(value: Any) -> list[str]:
    """A list of strings from an array, a single string, or a JSON-encoded array."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                return as_string_list(json.loads(stripped))
            except ValueError:
                return []
        return [stripped] if stripped else []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return []
