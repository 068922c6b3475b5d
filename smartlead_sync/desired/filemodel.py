"""The base of every model of a file a user writes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FileModel(BaseModel):
    """Base of every model a user writes: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")
