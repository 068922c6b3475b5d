from __future__ import annotations

import json
import random
from pathlib import Path

import httpx
import pytest

from smartlead_sync.smartlead.api_errors import (
    ApiError,
    AuthError,
    NotFound,
    RateLimited,
    RequestRejected,
    ServerError,
    TransportError,
)
from smartlead_sync.smartlead.client import RetryPolicy
from smartlead_sync.smartlead.retry import CallKind
from tests.smartlead.fakes import TEST_KEY, FakeClock, Recorder, make_client


def _json(status: int, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def _sequence(*responses: httpx.Response) -> Recorder:
    queue = list(responses)
    return Recorder(lambda request: queue.pop(0) if len(queue) > 1 else queue[0])


def test_key_travels_as_query_parameter_only() -> None:
    rec = Recorder(lambda r: _json(200, []))
    make_client(rec).list_campaigns(client_id=7)
    request = rec.requests[0]
    assert request.url.params["api_key"] == TEST_KEY
    assert request.url.params["client_id"] == "7"
    assert TEST_KEY not in str(request.headers)


def test_envelope_zoo_is_peeled() -> None:
    big = 2**31 + 5
    client = make_client(
        lambda r: {
            "/api/v1/campaigns": _json(200, [{"id": 3, "name": "x"}]),
            "/api/v1/campaigns/3": _json(200, {"id": 3, "name": "x"}),
            "/api/v1/campaigns/4": _json(200, {}),
            "/api/v1/campaigns/3/leads": _json(
                200, {"total_leads": "1", "data": [{"lead": {"id": str(big), "email": "a@b.c"}}]}
            ),
            "/api/v1/campaigns/3/leads/9": httpx.Response(200, text="success"),
            "/api/v1/campaigns/3/leads-export": httpx.Response(200, text="id,email\n1,a@b.c\n"),
            "/api/v1/leads": _json(200, {}),
        }[r.url.path]
    )
    assert client.list_campaigns() == [{"id": 3, "name": "x"}]
    assert client.get_campaign(3)["name"] == "x"
    with pytest.raises(NotFound):
        client.get_campaign(4)  # 200 {} means not found (smartlead-api.md §2.3)
    assert client.list_campaign_leads(3)["data"][0]["lead"]["id"] == big
    client.delete_lead(3, 9)  # plain-text "success" is fine
    assert client.export_campaign_leads(3) == [{"id": "1", "email": "a@b.c"}]
    assert client.get_lead_by_email("nobody@x.io") is None


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (401, {"message": "Invalid API key"}, AuthError, "Invalid API key"),
        (403, {"message": "Forbidden"}, AuthError, "Forbidden"),
        (404, {"error": "Campaign not found - Invalid campaign_id."}, NotFound, "Campaign not"),
        (
            400,
            {"error": "Bad Request", "message": '"lead_id" is not allowed'},
            RequestRejected,
            "lead_id",
        ),
        (422, {"error": {"code": "X", "message": "nested why"}}, RequestRejected, "nested why"),
    ],
)
def test_errors_are_typed_and_carry_route_not_key(
    status: int, body: object, error: type[ApiError], message: str
) -> None:
    client = make_client(lambda r: _json(status, body))
    with pytest.raises(error) as info:
        client.save_campaign_schedule(42, {"timezone": "UTC"})
    exc = info.value
    assert (exc.method, exc.route, exc.status) == ("POST", "/campaigns/{id}/schedule", status)
    assert message in exc.server_message
    for text in (str(exc), repr(exc), exc.server_message):
        assert TEST_KEY not in text


def test_a_key_echoed_by_the_server_is_scrubbed() -> None:
    client = make_client(lambda r: _json(401, {"message": f"bad key {TEST_KEY}"}))
    with pytest.raises(AuthError) as info:
        client.list_campaigns()
    assert TEST_KEY not in str(info.value)


def test_express_html_404_becomes_a_one_line_message() -> None:
    page = "<!DOCTYPE html><html><body><pre>Cannot GET /api/v1/nowhere</pre></body></html>"
    client = make_client(lambda r: httpx.Response(404, text=page))
    with pytest.raises(NotFound) as info:
        client.list_campaigns()
    assert info.value.server_message == "Cannot GET /api/v1/nowhere"


def test_ok_false_on_200_is_a_rejection() -> None:
    client = make_client(lambda r: _json(200, {"ok": False, "error": "nope"}))
    with pytest.raises(RequestRejected, match="nope"):
        client.set_campaign_status(1, "START")


def test_passwords_never_leave_the_client() -> None:
    account = {
        "id": 1,
        "from_email": "a@x.io",
        "password": "p1",
        "imap_password": "p2",
        "smtp_password": "p3",
    }
    client = make_client(lambda r: _json(200, [account]))
    for rows in (client.list_email_accounts(), client.list_campaign_email_accounts(1)):
        assert rows == [{"id": 1, "from_email": "a@x.io"}]


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        ({"Retry-After": "0.75", "x-ratelimit-reset": "9"}, {"error": {"retry_after": 5}}, 0.75),
        ({"x-ratelimit-reset": "9"}, {"error": {"code": "RATE", "retry_after": 5}}, 5.0),
        ({"x-ratelimit-reset": "9"}, {"retry_after": 4}, 4.0),
        ({"x-ratelimit-reset": "9"}, {"message": "slow down"}, 9.0),
    ],
)
def test_429_wait_order(headers: dict[str, str], body: object, expected: float) -> None:
    clock = FakeClock()
    rec = _sequence(_json(429, body, headers), _json(200, []))
    client = make_client(rec, clock=clock)
    client.list_campaigns()
    assert clock.sleeps == [pytest.approx(expected)]
    assert (client.stats.received_429, client.stats.retries) == (1, 1)


@pytest.mark.parametrize(
    ("call", "start", "answer"),
    [
        (lambda c: c.list_campaigns(), 1.0, []),
        (lambda c: c.set_campaign_status(1, "PAUSED"), 2.0, {"ok": True}),
        (lambda c: c.delete_lead(1, 2), 2.0, {"ok": True}),
        (lambda c: c.delete_webhook(1, 2), 3.0, {"ok": True}),
    ],
)
def test_429_without_hint_backs_off_exponentially_from_the_kind_start(
    call: object, start: float, answer: object
) -> None:
    clock = FakeClock()
    rec = _sequence(_json(429, {}), _json(429, {}), _json(200, answer))
    client = make_client(rec, clock=clock, rng=random.Random(1))
    call(client)  # type: ignore[operator]
    first, second = clock.sleeps
    assert start <= first <= start * 1.5
    assert 2 * start <= second <= 2 * start * 1.5


def test_429_gives_up_after_max_attempts_and_says_so() -> None:
    clock = FakeClock()
    rec = Recorder(lambda r: _json(429, {}, {"Retry-After": "1"}))
    client = make_client(rec, clock=clock, retry=RetryPolicy(max_attempts=4))
    with pytest.raises(RateLimited, match="after 4 attempts"):
        client.list_campaigns()
    assert len(rec.requests) == 4


def test_429_gives_up_when_the_total_time_budget_would_be_exceeded() -> None:
    clock = FakeClock()
    rec = Recorder(lambda r: _json(429, {}, {"Retry-After": "100"}))
    client = make_client(rec, clock=clock, retry=RetryPolicy(max_total_seconds=150))
    with pytest.raises(RateLimited):
        client.list_campaigns()
    assert len(rec.requests) == 2
    assert clock.now <= 150


def test_5xx_is_retried_on_safe_routes() -> None:
    rec = _sequence(_json(502, {"error": "bad gateway"}), _json(200, {"ok": True}))
    client = make_client(rec)
    client.update_campaign_settings(1, {"name": "n"})
    assert len(rec.requests) == 2


def test_create_is_not_retried_after_a_5xx_or_timeout() -> None:
    rec = Recorder(lambda r: _json(500, {"error": "boom"}))
    with pytest.raises(ServerError) as info:
        make_client(rec).create_campaign("c", None)
    assert info.value.ambiguous
    assert len(rec.requests) == 1

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    rec = Recorder(timeout)
    with pytest.raises(TransportError) as tinfo:
        make_client(rec).upsert_webhook(1, {"id": None, "name": "w"})
    assert tinfo.value.ambiguous
    assert len(rec.requests) == 1


def test_create_is_retried_when_the_connection_was_never_made() -> None:
    calls = []

    def refuse_once(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return _json(200, {"ok": True, "id": 5})

    assert make_client(refuse_once).create_campaign("c", None)["id"] == 5


def test_delete_whose_first_answer_was_lost_counts_a_later_404_as_done() -> None:
    rec = _sequence(_json(503, {}), _json(404, {"error": "Campaign not found"}))
    make_client(rec).delete_campaign(9)
    assert len(rec.requests) == 2


def test_transport_errors_name_the_route_and_never_the_url() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}", request=request)

    rec = Recorder(fail)
    client = make_client(rec)
    with pytest.raises(TransportError) as info:
        client.list_campaigns()
    assert len(rec.requests) == RetryPolicy().max_connect_attempts
    text = f"{info.value} {info.value!r}"
    assert "GET /campaigns" in text
    assert TEST_KEY not in text
    assert info.value.__cause__ is None


def test_http_log_has_one_line_per_attempt_without_key_or_pii(tmp_path: Path) -> None:
    log = tmp_path / "http.jsonl"
    rec = _sequence(_json(429, {}, {"Retry-After": "0"}), _json(200, {"ok": True}))
    with make_client(rec, http_log=log) as client:
        client.add_leads(3, [{"email": "jane@acme.com"}], {"return_lead_ids": True})
    text = log.read_text()
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["status"] for line in lines] == [429, 200]
    assert {line["route"] for line in lines} == {"/campaigns/{id}/leads"}
    assert lines[0]["items"] == 1
    assert set(lines[0]) >= {"time", "method", "duration_ms", "wait_ms"}
    assert TEST_KEY not in text
    assert "jane" not in text


def test_stats_count_calls_per_bucket() -> None:
    client = make_client(lambda r: _json(200, [] if r.method == "GET" else {"ok": True}))
    client.list_campaigns()
    client.set_campaign_status(1, "PAUSED")
    client.delete_lead(1, 2)
    client.delete_webhook(1, 2)
    calls = client.stats.calls
    assert calls[CallKind.CAMPAIGN_WRITE.bucket] == 1  # type: ignore[index]
    assert calls[CallKind.LEAD_WRITE.bucket] == 1  # type: ignore[index]
    assert calls[CallKind.WEBHOOK_WRITE.bucket] == 1  # type: ignore[index]
    assert sum(v for k, v in calls.items() if k.value == "global") == 4
    assert client.stats.routes["POST /campaigns/{id}/status"] == 1
