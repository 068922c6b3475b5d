"""Contract tests run over real loopback HTTP against `Emulator(...).serve()`."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from smartlead_sync.emulator import EMULATOR_API_KEY, Emulator, EmulatorConfig, RunningServer
from smartlead_sync.tool_settings import Bucket, RateLimits, Window

# Generous limits so that contract tests never meet a 429 unless they ask for one.
ROOMY_LIMITS = RateLimits({Bucket.GLOBAL: (Window(100_000, 1),)})
SCHEDULE = {
    "timezone": "America/New_York",
    "days_of_the_week": [1, 2, 3, 4, 5],
    "start_hour": "09:00",
    "end_hour": "17:00",
    "min_time_btw_emails": 10,
    "max_new_leads_per_day": 50,
}


# Plain HTTP on loopback: one shared TLS context spares every client loading the CA bundle.
_PLAIN_HTTP = ssl.create_default_context()


class Api:
    """A thin client for the tests: real HTTP, the key as a query parameter."""

    def __init__(self, server: RunningServer, emulator: Emulator, key: str = EMULATOR_API_KEY):
        self.server = server
        self.emulator = emulator
        self.http = httpx.Client(
            base_url=server.base_url, params={"api_key": key}, timeout=10, verify=_PLAIN_HTTP
        )

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params=params)

    def post(self, path: str, body: Any = None, **params: Any) -> httpx.Response:
        return self.http.post(path, json=body, params=params)

    def delete(self, path: str, body: Any = None, **params: Any) -> httpx.Response:
        return self.http.request("DELETE", path, json=body, params=params)

    def ok(self, response: httpx.Response) -> Any:
        assert response.status_code == 200, response.text
        return response.json()

    def create_campaign(self, name: str = "Q3 outbound", **body: Any) -> int:
        campaign_id: int = self.ok(self.post("/campaigns/create", {"name": name, **body}))["id"]
        return campaign_id

    def ready_campaign(self, name: str = "Ready") -> int:
        """A campaign that START accepts: schedule, one step, one mailbox."""
        campaign_id = self.create_campaign(name)
        self.ok(self.post(f"/campaigns/{campaign_id}/schedule", SCHEDULE))
        step = {
            "seq_number": 1,
            "seq_delay_details": {"delay_in_days": 0},
            "subject": "Hi",
            "email_body": "Hello {{first_name}}",
        }
        self.ok(self.post(f"/campaigns/{campaign_id}/sequences", {"sequences": [step]}))
        account_id = self.ok(self.get("/email-accounts/"))[0]["id"]
        self.ok(
            self.post(
                f"/campaigns/{campaign_id}/email-accounts", {"email_account_ids": [account_id]}
            )
        )
        return campaign_id

    def add_leads(self, campaign_id: int, leads: list[dict[str, Any]], **settings: Any) -> Any:
        body = {"lead_list": leads, "settings": {"return_lead_ids": True, **settings}}
        return self.ok(self.post(f"/campaigns/{campaign_id}/leads", body))


ServeFactory = Callable[..., Api]


@pytest.fixture
def serve() -> Iterator[ServeFactory]:
    """Start emulators with custom settings: `serve(lead_batch_cap=5)`; all closed afterwards."""
    started: list[tuple[Emulator, Api]] = []

    def start(
        config: EmulatorConfig | None = None, *, state_path: Path | None = None, **changes: Any
    ) -> Api:
        base = config or EmulatorConfig(rate_limits=ROOMY_LIMITS)
        emulator = Emulator(replace(base, **changes), state_path=state_path)
        api = Api(emulator.serve(), emulator)
        started.append((emulator, api))
        return api

    yield start
    for emulator, api in started:
        api.http.close()
        emulator.close()


@pytest.fixture
def api(serve: ServeFactory) -> Api:
    return serve()
