"""How fast the emulator answers, so benchmarks built on it know their own overhead."""

from __future__ import annotations

import os
import time

import httpx
import pytest

from smartlead_sync.emulator import EMULATOR_API_KEY, TRANSPORT_BASE_URL, Emulator, EmulatorConfig
from smartlead_sync.tool_settings import Bucket, RateLimits, Window
from tests.benchmarks.conftest import Report

SCALE = float(os.environ.get("SMARTLEAD_BENCH_SCALE", "1"))
UNLIMITED = RateLimits({Bucket.GLOBAL: (Window(10**9, 1),)})


def _import_and_read(client: httpx.Client, leads: int) -> dict[str, float]:
    campaign_id = client.post("/campaigns/create", json={"name": "bench"}).json()["id"]
    started = time.perf_counter()
    for start in range(0, leads, 100):
        rows = [
            {"email": f"p{i}@acme-example.com", "first_name": "P", "custom_fields": {"k": "v"}}
            for i in range(start, min(start + 100, leads))
        ]
        response = client.post(f"/campaigns/{campaign_id}/leads", json={"lead_list": rows})
        assert response.status_code == 200
    imported = time.perf_counter()
    export = client.get(f"/campaigns/{campaign_id}/leads-export")
    exported = time.perf_counter()
    assert export.text.count("\n") == leads + 1
    return {"import": imported - started, "export": exported - imported}


@pytest.mark.benchmark
@pytest.mark.parametrize("mode", ["transport", "loopback"])
def test_emulator_lead_throughput(report: Report, mode: str) -> None:
    leads = int(2000 * SCALE)
    with Emulator(EmulatorConfig(rate_limits=UNLIMITED)) as emulator:
        if mode == "transport":
            client = httpx.Client(transport=emulator.transport(), base_url=TRANSPORT_BASE_URL)
        else:
            client = httpx.Client(base_url=emulator.serve().base_url)
        client.params = client.params.set("api_key", EMULATOR_API_KEY)
        with client:
            took = _import_and_read(client, leads)
        stats = emulator.stats()
    calls = -(-leads // 100) + 2
    assert stats.total_requests == calls  # every call counted once, nothing retried
    report(
        f"emulator {mode}: {leads} leads imported in {took['import']:.2f}s "
        f"({leads / took['import']:.0f} leads/s, {calls} calls), "
        f"exported in {took['export'] * 1000:.0f} ms"
    )
