"""Server-side rate limiting: 429 with Retry-After, flat body, recovery (§2, §13.12)."""

from __future__ import annotations

import time

from smartlead_sync.emulator import EmulatorConfig, Faults
from smartlead_sync.tool_settings import Bucket, RateLimits, Window
from tests.emulator.conftest import ROOMY_LIMITS, Api, ServeFactory


def _burst(api: Api, count: int) -> list[int]:
    return [api.get("/campaigns").status_code for _ in range(count)]


def test_burst_gets_429_then_recovers_after_retry_after(serve: ServeFactory) -> None:
    limits = RateLimits({Bucket.GLOBAL: (Window(5, 10),)})
    api = serve(EmulatorConfig(rate_limits=limits, time_scale=20))  # 5 calls per 0.5 s
    assert _burst(api, 5) == [200] * 5
    burst_done = time.monotonic()
    time.sleep(0.2)  # the rejected calls come well inside the window, after the burst
    rejected = [api.get("/campaigns") for _ in range(10)]
    assert {r.status_code for r in rejected} == {429}
    first = rejected[0]
    wait = float(first.headers["Retry-After"])
    assert 0 < wait <= 0.5
    assert first.json() == {"message": first.json()["message"], "retry_after": wait}
    assert first.headers["x-ratelimit-remaining"] == "0"
    time.sleep(float(rejected[-1].headers["Retry-After"]) + 0.02)
    # Every call of the burst has left the 0.5 s window by now, however slowly it was sent;
    # the rejected calls came 0.2 s later, so had they counted the window would still be full.
    time.sleep(max(0.0, burst_done + 0.52 - time.monotonic()))
    # The ten rejected calls did not count: a full window is free again.
    assert _burst(api, 5) == [200] * 5
    stats = api.emulator.stats()
    assert stats.rate_limited == 10
    assert stats.rate_limited_by_bucket == {"global": 10}


def test_retry_after_is_whole_seconds_at_real_time(serve: ServeFactory) -> None:
    api = serve(EmulatorConfig(rate_limits=RateLimits({Bucket.GLOBAL: (Window(2, 60),)})))
    _burst(api, 2)
    response = api.get("/campaigns")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "60"
    assert response.json()["retry_after"] == 60
    assert response.headers["x-ratelimit-limit"] == "2"


def test_retry_after_is_at_least_one_whole_second(serve: ServeFactory) -> None:
    # A 0.2 s window leaves well under a second to wait: the header still says 1 (§2.2).
    api = serve(EmulatorConfig(rate_limits=RateLimits({Bucket.GLOBAL: (Window(1, 0.2),)})))
    _burst(api, 1)
    response = api.get("/campaigns")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response.json()["retry_after"] == 1


def test_write_bucket_limits_writes_but_not_reads(serve: ServeFactory) -> None:
    limits = RateLimits({**ROOMY_LIMITS.buckets, Bucket.CAMPAIGN_WRITE: (Window(2, 60),)})
    api = serve(EmulatorConfig(rate_limits=limits))
    api.create_campaign("a")
    api.create_campaign("b")
    assert api.post("/campaigns/create", {"name": "c"}).status_code == 429
    assert api.get("/campaigns").status_code == 200
    assert len(api.ok(api.get("/campaigns"))) == 2
    stats = api.emulator.stats()
    assert stats.rate_limited_by_bucket == {"campaign_write": 1}
    assert stats.requests_by_bucket["campaign_write"] == 3


def test_limits_are_per_api_key(serve: ServeFactory) -> None:
    config = EmulatorConfig(
        api_keys=("sk-one", "sk-two"), rate_limits=RateLimits({Bucket.GLOBAL: (Window(1, 60),)})
    )
    api = serve(config)
    one, two = Api(api.server, api.emulator, "sk-one"), Api(api.server, api.emulator, "sk-two")
    assert [one.get("/campaigns").status_code, one.get("/campaigns").status_code] == [200, 429]
    assert two.get("/campaigns").status_code == 200


def test_forced_429_on_the_nth_call(api: Api) -> None:
    api.emulator.set_faults(Faults(force_429_on_calls=frozenset({2})))
    assert _burst(api, 3) == [200, 429, 200]
    assert api.emulator.stats().rate_limited_by_bucket == {"forced": 1}


def test_strict_default_profile_allows_ten_per_two_seconds(serve: ServeFactory) -> None:
    api = serve(EmulatorConfig(time_scale=1000))  # strict profile, windows 1000x shorter
    statuses = [api.get("/campaigns").status_code for _ in range(10)]
    assert statuses == [200] * 10
    assert api.get("/campaigns").headers["x-ratelimit-limit"] == "60"
