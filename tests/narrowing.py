"""Typed access for tests to parts that the types leave open (unmanaged state parts, payloads)."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def managed(part: T | None) -> T:
    """A campaign state part the test built or read; the test fails if it is unmanaged (None)."""
    if part is None:
        raise AssertionError("this campaign part is not managed (None)")
    return part


def of_type(value: object, kind: type[T]) -> T:
    """`value` as a `kind`; the test fails if it is something else."""
    if not isinstance(value, kind):
        raise AssertionError(f"expected a {kind.__name__}, got {type(value).__name__}")
    return value
