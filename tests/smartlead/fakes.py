"""Test doubles built from real objects: a manual clock and an HTTP handler that records calls."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import SecretStr

from smartlead_sync.smartlead.client import RetryPolicy, SmartleadClient
from smartlead_sync.tool_settings import Bucket, Connection, RateLimits, Window

TEST_KEY = "sk-test-secret-9876"


@dataclass
class FakeClock:
    """Time that moves only when someone sleeps (or a test advances it)."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)


Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class Recorder:
    """Wraps a handler and keeps every request it saw (method, path, query, JSON body)."""

    handler: Handler
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def routes(self) -> list[str]:
        return [f"{r.method} {r.url.path.removeprefix('/api/v1')}" for r in self.requests]

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


def generous_limits() -> RateLimits:
    return RateLimits({Bucket.GLOBAL: (Window(1000, 1),)})


def make_client(
    handler: Handler,
    *,
    clock: FakeClock | None = None,
    limits: RateLimits | None = None,
    retry: RetryPolicy | None = None,
    **kwargs: Any,
) -> SmartleadClient:
    clock = clock or FakeClock()
    return SmartleadClient(
        Connection(api_key=SecretStr(TEST_KEY), base_url="https://sl.test/api/v1"),
        limits=limits or generous_limits(),
        transport=httpx.MockTransport(handler),
        clock=clock,
        sleep=clock.sleep,
        retry=retry,
        **kwargs,
    )
