"""Auth, unknown routes, trailing slashes, body parsing and the rate-limit headers (§1, §2, §13)."""

from __future__ import annotations

import httpx

from smartlead_sync.emulator import EMULATOR_API_KEY
from tests.emulator.conftest import Api


def test_missing_api_key_is_401_with_flat_message(api: Api) -> None:
    response = httpx.get(f"{api.server.base_url}/campaigns")
    assert response.status_code == 401
    assert set(response.json()) == {"message"}


def test_unknown_api_key_is_401(api: Api) -> None:
    response = httpx.get(f"{api.server.base_url}/campaigns", params={"api_key": "sk-wrong"})
    assert response.status_code == 401
    assert response.json()["message"] == api.emulator.config.unauthorized_message


def test_unknown_route_is_express_text_404_without_the_key(api: Api) -> None:
    response = api.post("/verify-emails", {"emails": []})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Cannot POST /api/v1/verify-emails" in response.text
    assert EMULATOR_API_KEY not in response.text


def test_wrong_method_on_known_path_is_express_404(api: Api) -> None:
    response = api.http.put("/campaigns")
    assert response.status_code == 404
    assert "Cannot PUT /api/v1/campaigns" in response.text


def test_trailing_slash_is_accepted(api: Api) -> None:
    api.create_campaign("Slash")
    without = api.ok(api.get("/campaigns"))
    with_slash = api.ok(api.get("/campaigns/"))
    assert without == with_slash
    assert [c["name"] for c in with_slash] == ["Slash"]


def test_malformed_json_is_400(api: Api) -> None:
    response = api.http.post(
        "/campaigns/create", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "Unexpected token" in response.json()["error"]


def test_non_numeric_campaign_id_is_joi_400(api: Api) -> None:
    response = api.get("/campaigns/abc")
    assert response.status_code == 400
    assert response.json()["message"] == '"campaign_id" must be a number'


def test_rate_limit_headers_on_every_response(api: Api) -> None:
    first = api.get("/campaigns")
    second = api.post("/campaigns/create", {"name": "x"})
    assert first.headers["x-ratelimit-limit"] == "100000"
    remaining = [int(r.headers["x-ratelimit-remaining"]) for r in (first, second)]
    assert remaining[0] - remaining[1] == 1
    assert float(second.headers["x-ratelimit-reset"]) > 0


def test_express_404_outside_the_api_prefix_needs_no_key(api: Api) -> None:
    response = httpx.get(f"{api.server.root_url}/favicon.ico")
    assert response.status_code == 404
    assert "Cannot GET /favicon.ico" in response.text
