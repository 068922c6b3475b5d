"""The project file, `smartlead-sync.yaml`: defaults for every campaign, and tool settings."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from smartlead_sync.desired.filemodel import FileModel
from smartlead_sync.desired.safety_file import SafetyModel
from smartlead_sync.tool_settings import (
    DEFAULT_LEAD_BATCH_SIZE,
    DEFAULT_MAX_LEAD_FILE_MB,
    MAX_DEADLINE_SECONDS,
    MAX_LEAD_BATCH_SIZE,
    MAX_LEAD_FILE_MB,
    MAX_TIMEOUT_SECONDS,
    RATE_LIMIT_PROFILES,
    Bucket,
    ToolSettings,
)


class WindowModel(FileModel):
    limit: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    seconds: Annotated[float, Field(gt=0, le=86_400, allow_inf_nan=False)]  # at most a day


class ToolSettingsModel(FileModel):
    """The `settings:` block of the project file."""

    rate_limit_profile: Literal["strict", "standard", "pro"] = "strict"
    rate_limits: dict[Bucket, tuple[WindowModel, ...]] | None = None
    category_buckets: StrictBool = False
    lead_batch_size: Annotated[StrictInt, Field(ge=1, le=MAX_LEAD_BATCH_SIZE)] = (
        DEFAULT_LEAD_BATCH_SIZE
    )
    max_concurrent_campaigns: Annotated[StrictInt, Field(ge=1, le=32)] = (
        ToolSettings.max_concurrent_campaigns
    )
    max_lead_file_mb: Annotated[StrictInt, Field(ge=1, le=MAX_LEAD_FILE_MB)] = Field(
        default=DEFAULT_MAX_LEAD_FILE_MB,
        description="The largest lead CSV read, in MiB; a larger file is an error that says "
        "so (default 256).",
    )
    timeout_seconds: Annotated[float, Field(gt=0, le=MAX_TIMEOUT_SECONDS)] | None = Field(
        default=None,
        description="Seconds to wait for each API answer before it counts as failed "
        "(default 30; --timeout and SMARTLEAD_TIMEOUT win over it).",
    )
    deadline_seconds: Annotated[float, Field(gt=0, le=MAX_DEADLINE_SECONDS)] | None = Field(
        default=None,
        description="Seconds the whole command may spend on API calls; no call or retry "
        "starts after it (default: none; --deadline and SMARTLEAD_DEADLINE win over it).",
    )
    safety: SafetyModel = Field(default_factory=SafetyModel)


assert set(RATE_LIMIT_PROFILES) == {"strict", "standard", "pro"}


class ProjectFile(FileModel):
    """`smartlead-sync.yaml`: defaults every campaign inherits, and tool settings."""

    defaults: dict[StrictStr, Any] = Field(default_factory=dict)
    settings: ToolSettingsModel = Field(default_factory=ToolSettingsModel)
