"""The emulator behind the real client and provider: in process (fast) or over loopback HTTP.

A client's rate limits and retry backoff are compressed by the emulator's time scale, so that a
minute of Smartlead's limits passes as quickly on both sides. `converge` brings an account to a
desired state with the real apply.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
from pydantic import SecretStr

from smartlead_sync.apply.report import ApplyReport
from smartlead_sync.apply.run import ApplyContext, apply_plan
from smartlead_sync.emulator import EMULATOR_API_KEY, TRANSPORT_BASE_URL, Emulator, EmulatorConfig
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.smartlead.client import RetryPolicy, SmartleadClient
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import DesiredCampaign
from smartlead_sync.tool_settings import (
    RATE_LIMIT_PROFILES,
    Bucket,
    Connection,
    RateLimits,
    ToolSettings,
    Window,
)

STRICT = RATE_LIMIT_PROFILES["strict"]
UNLIMITED = RateLimits({Bucket.GLOBAL: (Window(1_000_000, 1),)})  # the client never waits
FAST = 1000.0  # a minute of rate limit in 60 ms: for tests that are not about pacing


def new_emulator() -> Emulator:
    """An in-memory account whose minute of rate limit passes in 60 ms."""
    return Emulator(EmulatorConfig(time_scale=FAST))


def client_for(
    base_url: str,
    *,
    limits: RateLimits = STRICT,
    time_scale: float = 1.0,
    key: str = EMULATOR_API_KEY,
    timeout: float = 10.0,
    http_log: Path | None = None,
    transport: httpx.BaseTransport | None = None,
) -> SmartleadClient:
    """A client whose limits and backoff are compressed by the emulator's time scale."""
    return SmartleadClient(
        Connection(api_key=SecretStr(key), base_url=base_url, timeout_seconds=timeout),
        limits=limits.scaled(time_scale),
        retry=RetryPolicy().scaled(time_scale),
        http_log=http_log,
        transport=transport,
    )


@contextmanager
def provider_on(
    emulator: Emulator, limits: RateLimits | None = None, *, key: str = EMULATOR_API_KEY
) -> Iterator[SmartleadProvider]:
    """A provider on `emulator` in process; the client keeps `limits` (the emulator's own by
    default) at the emulator's time scale."""
    client = client_for(
        TRANSPORT_BASE_URL,
        limits=limits or emulator.config.rate_limits,
        time_scale=emulator.config.time_scale,
        key=key,
        transport=emulator.transport(),
    )
    try:
        yield SmartleadProvider(client)
    finally:
        client.close()


@contextmanager
def provider_at(
    base_url: str, *, time_scale: float, limits: RateLimits = STRICT, key: str = EMULATOR_API_KEY
) -> Iterator[SmartleadProvider]:
    """A provider on an emulator served over loopback HTTP at `base_url`."""
    client = client_for(base_url, limits=limits, time_scale=time_scale, key=key)
    try:
        yield SmartleadProvider(client)
    finally:
        client.close()


@contextmanager
def served(
    config: EmulatorConfig, *, client_limits: RateLimits | None = None, **client: object
) -> Iterator[tuple[Emulator, SmartleadProvider]]:
    """An emulator on loopback HTTP and a provider talking to it (`client`: see client_for)."""
    emulator = Emulator(config)
    server = emulator.serve()
    provider = SmartleadProvider(
        client_for(
            server.base_url,
            limits=client_limits or config.rate_limits,
            time_scale=config.time_scale,
            **client,  # type: ignore[arg-type]
        )
    )
    try:
        yield emulator, provider
    finally:
        provider.client.close()
        emulator.close()


@contextmanager
def in_process(config: EmulatorConfig) -> Iterator[tuple[Emulator, SmartleadProvider]]:
    """An emulator and a provider on its in-process transport."""
    emulator = Emulator(config)
    try:
        with provider_on(emulator) as provider:
            yield emulator, provider
    finally:
        emulator.close()


def converge(
    provider: SmartleadProvider, desired: Sequence[DesiredCampaign], tool: ToolSettings
) -> ApplyReport:
    """Bring the account to `desired` with the real apply: every step done, every lead attached."""
    report = apply_plan(make_plan(provider, desired, tool), desired, ApplyContext(provider, tool))
    failed = [(c.name, c.outcome.value, c.error) for c in report.campaigns if c.failed]
    assert report.exit_code == 0, (failed, report.residual_drift)
    skipped = [(c.name, s) for c in report.campaigns for s in c.leads.skipped]
    assert not skipped, skipped
    return report
