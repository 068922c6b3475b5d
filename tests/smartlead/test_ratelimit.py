from __future__ import annotations

import threading
import time

import pytest

from smartlead_sync.plan.estimate import duration_floor
from smartlead_sync.smartlead.ratelimit import RateLimiter
from smartlead_sync.tool_settings import (
    CATEGORY_WINDOWS,
    RATE_LIMIT_PROFILES,
    Bucket,
    RateLimits,
    Window,
)
from tests.smartlead.fakes import FakeClock

STRICT = RATE_LIMIT_PROFILES["strict"]


def _run(
    limiter: RateLimiter,
    clock: FakeClock,
    n: int,
    bucket: Bucket | None = None,
    latency: float = 0.0,
) -> list[float]:
    """Send n calls one after another; return the time each response arrived."""
    done = []
    for _ in range(n):
        permit = limiter.acquire(bucket)
        clock.now += latency
        limiter.release(permit)
        done.append(clock.now)
    return done


def _max_in_window(times: list[float], seconds: float) -> int:
    return max(sum(1 for u in times if t <= u < t + seconds) for t in times)


def test_strict_profile_holds_both_global_windows_exactly() -> None:
    clock = FakeClock()
    limiter = RateLimiter(STRICT, clock=clock, sleep=clock.sleep)
    times = _run(limiter, clock, 130)
    assert _max_in_window(times, 2.0) == 10
    assert _max_in_window(times, 60.0) == 60
    # Tight, not just safe: the 11th call goes right after 2 s, the 61st right after 60 s.
    assert times[9] == 0.0
    assert times[10] == pytest.approx(2.0, abs=0.01)
    assert times[60] == pytest.approx(60.0, abs=0.2)
    assert times[-1] == pytest.approx(120.0, abs=0.3)


def test_slots_are_spaced_from_response_arrival_so_latency_cannot_bunch_them() -> None:
    clock = FakeClock()
    limits = RateLimits({Bucket.GLOBAL: (Window(3, 1.0),)})
    limiter = RateLimiter(limits, clock=clock, sleep=clock.sleep, margin_ratio=0.0)
    times = _run(limiter, clock, 7, latency=0.25)
    # Each send waits until 1 s after the response three calls back.
    assert times == pytest.approx([0.25, 0.5, 0.75, 1.5, 1.75, 2.0, 2.75])


def test_the_default_profile_paces_writes_by_the_per_key_windows_only() -> None:
    clock = FakeClock()
    limiter = RateLimiter(STRICT, clock=clock, sleep=clock.sleep)
    writes = _run(limiter, clock, 31, Bucket.CAMPAIGN_WRITE)
    assert writes[30] == pytest.approx(6.0, abs=0.1)  # 10 per 2 s: no 30-per-minute bucket


def test_a_learned_category_counts_the_calls_already_made() -> None:
    clock = FakeClock()
    limiter = RateLimiter(STRICT, clock=clock, sleep=clock.sleep)
    _run(limiter, clock, 25, Bucket.CAMPAIGN_WRITE)  # 25 campaign writes in the first 4 s
    assert limiter.learn(Bucket.CAMPAIGN_WRITE) == CATEGORY_WINDOWS[Bucket.CAMPAIGN_WRITE]
    assert limiter.learn(Bucket.CAMPAIGN_WRITE) == ()  # once only
    writes = _run(limiter, clock, 6, Bucket.CAMPAIGN_WRITE)
    assert writes[4] < 60.0 <= writes[5]  # 5 more fit the minute; the 31st waits for it
    before = clock.now
    _run(limiter, clock, 5, Bucket.LEAD_WRITE)  # other categories are not held up
    assert clock.now - before < 2.1


def test_write_bucket_paces_writes_but_not_reads() -> None:
    clock = FakeClock()
    limits = STRICT.with_categories(CATEGORY_WINDOWS)
    limiter = RateLimiter(limits, clock=clock, sleep=clock.sleep)
    writes = _run(limiter, clock, 31, Bucket.CAMPAIGN_WRITE)
    assert writes[30] >= 60.0  # 30 campaign writes per minute
    before = clock.now
    _run(limiter, clock, 5)  # reads have room in GLOBAL's windows right away
    assert clock.now - before < 2.1


def test_hold_pauses_every_bucket() -> None:
    clock = FakeClock()
    limiter = RateLimiter(STRICT, clock=clock, sleep=clock.sleep)
    limiter.hold(5.0)
    permit = limiter.acquire(Bucket.LEAD_WRITE)
    assert permit.waited == pytest.approx(5.0)


def test_server_budget_from_headers_is_respected_until_reset() -> None:
    clock = FakeClock()
    limiter = RateLimiter(STRICT, clock=clock, sleep=clock.sleep)
    limiter.observe(remaining=2, reset_seconds=7.0)
    waits = [limiter.acquire().waited for _ in range(3)]
    assert waits[:2] == [0.0, 0.0]
    assert waits[2] == pytest.approx(7.0)


def test_threads_never_exceed_the_window_in_real_time() -> None:
    limits = RateLimits({Bucket.GLOBAL: (Window(5, 0.1),)})
    limiter = RateLimiter(limits)
    done: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(5):
            with limiter.slot():
                time.sleep(0.002)
                with lock:
                    done.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.sort()
    assert len(done) == 20
    assert _max_in_window(done, 0.1) <= 5


def test_floor_is_set_by_the_slowest_window() -> None:
    calls = {Bucket.GLOBAL: 130, Bucket.CAMPAIGN_WRITE: 61}
    # GLOBAL 60/60 s: 130 calls -> 3 batches -> 120 s; campaign writes 30/min: 61 -> 120 s.
    assert duration_floor(calls, STRICT) == 120.0
    assert duration_floor({Bucket.GLOBAL: 10}, STRICT) == 0.0


def test_after_a_hold_calls_go_single_file_until_one_is_not_refused() -> None:
    limiter = RateLimiter(STRICT)
    limiter.hold(0.0)
    first = limiter.acquire()
    second_went = threading.Event()

    def second() -> None:
        limiter.release(limiter.acquire())
        second_went.set()

    worker = threading.Thread(target=second)
    worker.start()
    assert not second_went.wait(0.1)  # waits while the first retry is in flight
    limiter.release(first)  # an answer that is not a 429 ends single-file mode
    assert second_went.wait(1.0)
    worker.join()
