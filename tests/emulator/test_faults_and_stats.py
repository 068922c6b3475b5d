"""Fault injection (seeded), introspection and stats (§13 fault injection, design.md)."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from smartlead_sync.emulator import EMULATOR_API_KEY, Faults
from smartlead_sync.emulator.config import (
    LostResponseKind,
    faults_from_mapping,
    faults_to_mapping,
)
from tests.emulator.conftest import Api, ServeFactory

CREATE = "POST /campaigns/create"


@pytest.mark.parametrize("kind", ["drop", "502"])
def test_lost_response_leaves_the_write_committed(api: Api, kind: LostResponseKind) -> None:
    faults = Faults(
        lose_response_on_calls=frozenset({1}), routes=frozenset({CREATE}), lost_response_kind=kind
    )
    api.emulator.set_faults(faults)
    if kind == "drop":
        with pytest.raises(httpx.RemoteProtocolError):
            api.post("/campaigns/create", {"name": "Maybe"})
    else:
        response = api.post("/campaigns/create", {"name": "Maybe"})
        assert response.status_code == 502
    assert [c["name"] for c in api.ok(api.get("/campaigns"))] == ["Maybe"]
    assert api.emulator.stats().responses_lost == 1


def test_lost_lead_add_response_keeps_the_leads(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.emulator.set_faults(
        Faults(
            lose_response_on_calls=frozenset({1}),
            routes=frozenset({"POST /campaigns/{campaign_id}/leads"}),
            lost_response_kind="drop",
        )
    )
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(
            f"/campaigns/{campaign_id}/leads", {"lead_list": [{"email": "a@acme-example.com"}]}
        )
    retry = api.add_leads(campaign_id, [{"email": "a@acme-example.com"}])
    assert retry["already_added_to_campaign"] == 1  # a retry is safe: the server dedupes


def test_server_error_happens_before_commit(api: Api) -> None:
    api.emulator.set_faults(
        Faults(server_error_on_calls=frozenset({1}), routes=frozenset({CREATE}))
    )
    response = api.post("/campaigns/create", {"name": "Never"})
    assert response.status_code == 500
    assert api.ok(api.get("/campaigns")) == []
    assert api.create_campaign("Second try") > 0
    assert api.emulator.stats().server_errors_injected == 1


def test_rate_faults_are_reproducible_from_the_seed(serve: ServeFactory) -> None:
    faults = Faults(server_error_rate=0.5, seed=42)
    patterns = []
    for _ in range(2):
        api = serve(faults=faults)
        patterns.append([api.get("/campaigns").status_code for _ in range(20)])
    assert patterns[0] == patterns[1]
    assert set(patterns[0]) == {200, 500}


def test_latency_and_peak_concurrency(api: Api) -> None:
    api.emulator.set_faults(Faults(latency=(0.15, 0.15)))
    url = f"{api.server.base_url}/campaigns"

    def call() -> None:
        httpx.get(url, params={"api_key": EMULATOR_API_KEY})

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = api.emulator.stats()
    assert stats.peak_concurrency >= 2
    assert min(entry.duration_ms for entry in stats.log) >= 150


def test_stats_count_routes_and_buckets_and_the_log_has_no_key(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.add_leads(campaign_id, [{"email": "a@acme-example.com"}])
    api.get(f"/campaigns/{campaign_id}")
    api.get("/nowhere")
    stats = api.emulator.stats()
    assert stats.requests_by_route == {
        CREATE: 1,
        "POST /campaigns/{campaign_id}/leads": 1,
        "GET /campaigns/{campaign_id}": 1,
        "UNMATCHED": 1,
    }
    assert stats.requests_by_bucket == {"global": 4, "campaign_write": 1, "lead_write": 1}
    assert [e.status for e in stats.log] == [200, 200, 200, 404]
    assert stats.log[1].path == f"/api/v1/campaigns/{campaign_id}/leads"
    assert EMULATOR_API_KEY not in json.dumps(stats.to_dict())
    api.emulator.reset_stats()
    assert api.emulator.stats().total_requests == 0


def test_http_introspection_drives_a_separate_process(api: Api) -> None:
    root = httpx.Client(base_url=f"{api.server.root_url}/_emulator")
    assert root.get("/health").json() == {"ok": True}
    faults = {"lose_response_on_calls": [1], "routes": [CREATE], "lost_response_kind": "502"}
    assert root.post("/faults", json=faults).json() == {"ok": True}
    assert root.get("/faults").json()["lose_response_on_calls"] == [1]
    assert api.post("/campaigns/create", {"name": "x"}).status_code == 502
    blocked = root.post("/actions/block_email", json={"email_or_domain": "acme-example.com"})
    assert blocked.json() == {"ok": True, "result": None}
    campaign_id = api.ok(api.get("/campaigns"))[0]["id"]
    assert api.add_leads(campaign_id, [{"email": "z@acme-example.com"}])["block_count"] == 1
    stats = root.get("/stats", params={"log": "0"}).json()
    assert stats["responses_lost"] == 1 and "log" not in stats
    assert root.post("/stats/reset").json() == {"ok": True}
    assert root.get("/stats").json()["total_requests"] == 0
    assert root.post("/actions/nope", json={}).status_code == 404
    assert root.post("/faults", json={"bogus": 1}).status_code == 400
    assert (
        root.post(
            "/actions/set_campaign_status", json={"campaign_id": 1, "status": "ACTIVE"}
        ).status_code
        == 404
    )


def test_a_bad_body_replaces_a_committed_answer_on_the_chosen_route_only(api: Api) -> None:
    api.emulator.set_faults(Faults(bad_bodies=((CREATE, "html"),)))
    created = api.post("/campaigns/create", {"name": "Committed"})
    assert created.status_code == 200
    assert created.text.startswith("<!DOCTYPE html>")
    assert [c["name"] for c in api.ok(api.get("/campaigns"))] == ["Committed"]
    assert api.emulator.stats().log[0].fault == "bad_body_html"


@pytest.mark.parametrize(
    ("kind", "check"),
    [
        ("missing_ids", lambda body: "id" not in body[0]),
        ("wrong_types", lambda body: body[0]["id"] == [body[0]["id"][0]]),
        ("null", lambda body: body is None),
        ("message", lambda body: set(body) == {"message"}),
    ],
)
def test_bad_json_bodies_keep_http_200(api: Api, kind: str, check: object) -> None:
    api.ok(api.post("/campaigns/create", {"name": "One"}))
    api.emulator.set_faults(Faults(bad_bodies=(("GET /campaigns", kind),)))  # type: ignore[arg-type]
    response = api.get("/campaigns")
    assert response.status_code == 200
    assert check(response.json())  # type: ignore[operator]


def test_truncated_json_and_csv_break_off_mid_value(api: Api) -> None:
    campaign = api.ok(api.post("/campaigns/create", {"name": "One"}))["id"]
    export = "GET /campaigns/{campaign_id}/leads-export"
    api.emulator.set_faults(
        Faults(bad_bodies=(("GET /campaigns", "truncated"), (export, "truncated")))
    )
    with pytest.raises(ValueError):
        json.loads(api.get("/campaigns").text)
    text = api.get(f"/campaigns/{campaign}/leads-export").text
    assert text and not text.endswith("\n")


def test_bad_bodies_load_from_a_config_mapping() -> None:
    faults = faults_from_mapping({"bad_bodies": {"GET /campaigns": "null"}})
    assert faults.bad_bodies == (("GET /campaigns", "null"),)
    assert faults_to_mapping(faults)["bad_bodies"] == {"GET /campaigns": "null"}
    with pytest.raises(ValueError, match="bad body"):
        faults_from_mapping({"bad_bodies": {"GET /campaigns": "teapot"}})
