"""The project file's `settings:` block -> `settings.ToolSettings`."""

from __future__ import annotations

from smartlead_sync.desired.project_file import ToolSettingsModel
from smartlead_sync.tool_settings import (
    CATEGORY_WINDOWS,
    RATE_LIMIT_PROFILES,
    RateLimits,
    ToolSettings,
    Window,
)


def tool_settings(model: ToolSettingsModel | None) -> ToolSettings:
    """A profile's windows (plus the category buckets when opted in), with any bucket the
    file lists replaced by its custom windows."""
    model = model or ToolSettingsModel()
    profile = RATE_LIMIT_PROFILES[model.rate_limit_profile]
    if model.category_buckets:
        profile = profile.with_categories(CATEGORY_WINDOWS)
    buckets = dict(profile.buckets)
    for bucket, windows in (model.rate_limits or {}).items():
        buckets[bucket] = tuple(Window(w.limit, w.seconds) for w in windows)
    return ToolSettings(
        rate_limit_profile=model.rate_limit_profile,
        rate_limits=RateLimits(buckets, profile.learnable),
        lead_batch_size=model.lead_batch_size,
        max_concurrent_campaigns=model.max_concurrent_campaigns,
        max_lead_file_bytes=model.max_lead_file_mb * 1024 * 1024,
        timeout_seconds=model.timeout_seconds,
        deadline_seconds=model.deadline_seconds,
        safety=model.safety.thresholds(),
    )
