from __future__ import annotations

from smartlead_sync.smartlead.counters import CallStats
from smartlead_sync.tool_settings import Bucket


def test_a_tap_counts_only_while_its_block_runs() -> None:
    stats = CallStats()
    stats.record_call("GET /campaigns", (Bucket.GLOBAL,), 0.5)
    with stats.tapped(CallStats()) as tap:
        stats.record_call("POST /campaigns/{id}/leads", (Bucket.GLOBAL, Bucket.LEAD_WRITE), 1.0)
        stats.record_429()
        stats.record_retry(2.0)
    stats.record_call("GET /campaigns", (Bucket.GLOBAL,), 0.0)

    assert tap.calls[Bucket.GLOBAL] == 1
    assert tap.calls[Bucket.LEAD_WRITE] == 1
    assert tap.routes == {"POST /campaigns/{id}/leads": 1}
    assert (tap.received_429, tap.retries, tap.waited_seconds) == (1, 1, 3.0)
    assert stats.calls[Bucket.GLOBAL] == 3
    assert (stats.received_429, stats.retries, stats.waited_seconds) == (1, 1, 3.5)
