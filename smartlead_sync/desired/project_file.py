"""The project file, `smartlead-sync.yaml`: defaults for every campaign, and tool settings."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StrictInt, StrictStr

from smartlead_sync.desired.filemodel import FileModel
from smartlead_sync.desired.safety_file import SafetyModel
from smartlead_sync.settings import MAX_LEAD_BATCH_SIZE, RATE_LIMIT_PROFILES, Bucket


class WindowModel(FileModel):
    limit: Annotated[StrictInt, Field(ge=1)]
    seconds: Annotated[float, Field(gt=0)]


class ToolSettingsModel(FileModel):
    """The `settings:` block of the project file."""

    rate_limit_profile: Literal["strict", "standard", "pro"] = "strict"
    rate_limits: dict[Bucket, tuple[WindowModel, ...]] | None = None
    lead_batch_size: Annotated[StrictInt, Field(ge=1, le=MAX_LEAD_BATCH_SIZE)] = 100
    max_concurrent_campaigns: Annotated[StrictInt, Field(ge=1, le=32)] = 4
    safety: SafetyModel = Field(default_factory=SafetyModel)


assert set(RATE_LIMIT_PROFILES) == {"strict", "standard", "pro"}


class ProjectFile(FileModel):
    """`smartlead-sync.yaml`: defaults every campaign inherits, and tool settings."""

    defaults: dict[StrictStr, Any] = Field(default_factory=dict)
    settings: ToolSettingsModel = Field(default_factory=ToolSettingsModel)
