"""Tool settings: connection, rate-limit profile, lead batch size.

Built by the CLI from flags, environment and the project file, then passed down by argument;
nothing below the CLI reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from smartlead_sync.plan.thresholds import SafetyThresholds
from smartlead_sync.redaction import SecretValue

DEFAULT_BASE_URL = "https://server.smartlead.ai/api/v1"
# The current documented cap (§5.2); an account that refuses it teaches a smaller one, which
# is remembered in the project's local state (apply/batchcap.py).
DEFAULT_LEAD_BATCH_SIZE = 400
MAX_LEAD_BATCH_SIZE = 400
DEFAULT_TIMEOUT_SECONDS = 30.0
MAX_TIMEOUT_SECONDS = 3600.0
MAX_DEADLINE_SECONDS = 7 * 24 * 3600.0


class Bucket(str, Enum):
    """Rate-limit buckets. Every call counts against GLOBAL plus at most one write bucket."""

    GLOBAL = "global"
    CAMPAIGN_WRITE = "campaign_write"
    LEAD_WRITE = "lead_write"
    WEBHOOK_WRITE = "webhook_write"


@dataclass(frozen=True, slots=True)
class Window:
    """At most `limit` calls in any sliding window of `seconds`."""

    limit: int
    seconds: float


@dataclass(frozen=True)
class RateLimits:
    """Sliding windows per bucket, all enforced at once. `learnable` holds the windows a
    category bucket without windows takes on when a 429 shows the account enforces it."""

    buckets: dict[Bucket, tuple[Window, ...]]
    learnable: dict[Bucket, tuple[Window, ...]] = field(default_factory=dict)

    def windows(self, bucket: Bucket) -> tuple[Window, ...]:
        return self.buckets.get(bucket, ())

    def with_categories(self, categories: dict[Bucket, tuple[Window, ...]]) -> RateLimits:
        """These limits plus `categories` for every bucket that has no windows of its own."""
        merged = dict(self.buckets)
        for bucket, windows in categories.items():
            merged.setdefault(bucket, windows)
        return RateLimits(merged, self.learnable)

    def scaled(self, time_scale: float) -> RateLimits:
        """The same limits with every window shortened by `time_scale` (benchmarks, tests)."""

        def scale(buckets: dict[Bucket, tuple[Window, ...]]) -> dict[Bucket, tuple[Window, ...]]:
            return {
                b: tuple(Window(w.limit, w.seconds / time_scale) for w in ws)
                for b, ws in buckets.items()
            }

        return RateLimits(scale(self.buckets), scale(self.learnable))


# Per-category figures that circulate beside the documented per-key windows (a blog's table,
# not Smartlead's rate-limit guide, §2.1). Not enforced unless the project opts in
# (`category_buckets: true`) or a 429 shows the account applies one (ratelimit.py).
CATEGORY_WINDOWS: dict[Bucket, tuple[Window, ...]] = {
    Bucket.CAMPAIGN_WRITE: (Window(30, 60),),
    Bucket.LEAD_WRITE: (Window(60, 60),),
    Bucket.WEBHOOK_WRITE: (Window(20, 60),),
}

# Presets of the per-key windows. `strict` is the default: the strictest documented figures
# (design.md, §2.1: 10 per 2 s and 60 per 60 s).
RATE_LIMIT_PROFILES: dict[str, RateLimits] = {
    name: RateLimits({Bucket.GLOBAL: windows}, CATEGORY_WINDOWS)
    for name, windows in {
        "strict": (Window(10, 2), Window(60, 60)),
        "standard": (Window(10, 1), Window(60, 60), Window(1000, 3600)),
        "pro": (Window(20, 1), Window(120, 60), Window(3000, 3600)),
    }.items()
}
DEFAULT_RATE_LIMIT_PROFILE = "strict"
DEFAULT_MAX_LEAD_FILE_MB = 256
MAX_LEAD_FILE_MB = 4096


@dataclass(frozen=True)
class Connection:
    """Where to send API calls. `api_key` is secret: never format it into text."""

    api_key: SecretValue
    base_url: str = DEFAULT_BASE_URL
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS  # per call: no answer within it = failure
    deadline_seconds: float | None = None  # the whole command: no call starts after it


@dataclass(frozen=True)
class ToolSettings:
    """Project-wide tool settings (the `settings:` block of the project file)."""

    rate_limit_profile: str = DEFAULT_RATE_LIMIT_PROFILE
    rate_limits: RateLimits = field(
        default_factory=lambda: RATE_LIMIT_PROFILES[DEFAULT_RATE_LIMIT_PROFILE]
    )
    lead_batch_size: int = DEFAULT_LEAD_BATCH_SIZE
    max_concurrent_campaigns: int = 16
    max_lead_file_bytes: int = DEFAULT_MAX_LEAD_FILE_MB * 1024 * 1024
    timeout_seconds: float | None = None  # None: the flag, the environment or the default
    deadline_seconds: float | None = None
    safety: SafetyThresholds = field(default_factory=SafetyThresholds)
