"""The base of every model of a file a user writes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FileModel(BaseModel):
    """Base of every model a user writes: immutable, unknown keys rejected."""

    # defer_build: a model's validator is built on its first use, so that a command pays at
    # start-up only for the models it uses.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
