"""State survives restarts in a file; the in-process transport is thread-safe."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import httpx
import pytest

from smartlead_sync.emulator import (
    EMULATOR_API_KEY,
    TRANSPORT_BASE_URL,
    Emulator,
    EmulatorConfig,
    Faults,
)
from smartlead_sync.errors import ConfigError
from tests.emulator.conftest import ROOMY_LIMITS, Api, ServeFactory


def test_file_state_survives_a_restart(serve: ServeFactory, tmp_path: Path) -> None:
    state = tmp_path / "account.sqlite3"
    before = serve(state_path=state)
    campaign_id = before.ready_campaign("Kept")
    before.add_leads(campaign_id, [{"email": "ann@acme-example.com"}])
    before.emulator.close()

    after = serve(state_path=state)
    campaign = after.ok(after.get(f"/campaigns/{campaign_id}"))
    assert campaign["name"] == "Kept" and campaign["scheduler_cron_value"] is not None
    leads = after.ok(after.get(f"/campaigns/{campaign_id}/leads"))
    assert [r["lead"]["email"] for r in leads["data"]] == ["ann@acme-example.com"]
    assert len(after.ok(after.get("/email-accounts/"))) == 6  # seeded once, not per start
    assert after.create_campaign("Next") > campaign_id  # counters persist too


def test_memory_state_starts_fresh(serve: ServeFactory) -> None:
    serve().create_campaign("Gone")
    assert serve().ok(serve().get("/campaigns")) == []


def _client(emulator: Emulator) -> httpx.Client:
    return httpx.Client(
        transport=emulator.transport(),
        base_url=TRANSPORT_BASE_URL,
        params={"api_key": EMULATOR_API_KEY},
    )


def test_transport_from_many_threads() -> None:
    emulator = Emulator(EmulatorConfig(rate_limits=ROOMY_LIMITS))
    with _client(emulator) as client:
        campaign_id = client.post("/campaigns/create", json={"name": "T"}).json()["id"]
        errors: list[str] = []

        def add(worker: int) -> None:
            for i in range(10):
                body = {"lead_list": [{"email": f"w{worker}-{i}@acme-example.com"}]}
                response = client.post(f"/campaigns/{campaign_id}/leads", json=body)
                if response.status_code != 200:
                    errors.append(response.text)

        threads = [threading.Thread(target=add, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        total = client.get(f"/campaigns/{campaign_id}/leads").json()["total_leads"]
    assert total == "60"
    assert emulator.stats().requests_by_bucket["lead_write"] == 60
    emulator.close()


def test_transport_drop_raises_like_a_dead_connection() -> None:
    faults = Faults(lose_response_on_calls=frozenset({1}), lost_response_kind="drop")
    emulator = Emulator(EmulatorConfig(faults=faults))
    with _client(emulator) as client, pytest.raises(httpx.RemoteProtocolError):
        client.post("/campaigns/create", json={"name": "T"})
    with _client(emulator) as client:
        assert [c["name"] for c in client.get("/campaigns").json()] == ["T"]
    emulator.close()


def test_served_and_transport_answers_match(api: Api) -> None:
    api.create_campaign("Same")
    with _client(api.emulator) as client:
        assert client.get("/campaigns").json() == api.ok(api.get("/campaigns"))


def test_a_file_that_is_not_a_state_file_is_a_clear_error(tmp_path: Path) -> None:
    state = tmp_path / "notes.txt"
    state.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(ConfigError, match="is not an emulator state file"):
        Emulator(state_path=state)
    assert state.read_text().startswith("these are my notes")


def test_state_from_another_schema_version_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    Emulator(state_path=state).close()
    with sqlite3.connect(state) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(ConfigError, match="schema version 0"):
        Emulator(state_path=state)
