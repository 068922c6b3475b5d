"""The baseline the apply benchmark compares against: a script written the way the usual
Smartlead guides advise. One call after another, no pacing; on a 429 it sleeps what
`Retry-After` says (else doubles a 1 s backoff) and tries again.

It sends the same payloads as apply (the provider's wire mapping), so the only difference
measured is how the calls are scheduled. Run as its own process by the apply benchmark:
`python -m tests.benchmarks.naive_upload PROJECT BASE_URL [--batch N] [--time-scale X]`, the key
in SMARTLEAD_API_KEY; it prints its figures as one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from smartlead_sync.desired import load_desired
from smartlead_sync.smartlead.lead_wire import lead_settings_to_api, lead_to_api
from smartlead_sync.smartlead.settings_wire import settings_to_api
from smartlead_sync.smartlead.state_mapping import (
    schedule_to_api,
    steps_to_api,
    webhook_to_api,
)
from smartlead_sync.state import DesiredCampaign


@dataclass
class NaiveFigures:
    calls: int = 0
    rate_limited: int = 0
    seconds: float = 0.0


class NaiveUploader:
    def __init__(self, base_url: str, api_key: str, *, time_scale: float = 1.0) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=30)
        self._key = api_key
        self._time_scale = time_scale
        self.figures = NaiveFigures()

    def close(self) -> None:
        self._http.close()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        backoff = 1.0 / self._time_scale
        while True:
            self.figures.calls += 1
            response = self._http.request(method, path, params={"api_key": self._key}, json=body)
            if response.status_code != 429:
                response.raise_for_status()
                return response.json() if response.text.startswith(("{", "[")) else None
            self.figures.rate_limited += 1
            retry_after = response.headers.get("Retry-After")
            time.sleep(float(retry_after) if retry_after else backoff)
            backoff *= 2

    def upload(self, campaigns: Sequence[DesiredCampaign], batch_size: int = 100) -> NaiveFigures:
        started = time.perf_counter()
        accounts = self.call("GET", "/email-accounts", None)
        mailbox_ids = {str(a["from_email"]).lower(): int(a["id"]) for a in accounts}
        for desired in campaigns:
            self._campaign(desired, mailbox_ids, batch_size)
        self.figures.seconds = time.perf_counter() - started
        return self.figures

    def _campaign(
        self, desired: DesiredCampaign, mailbox_ids: dict[str, int], batch_size: int
    ) -> None:
        state = desired.state
        created = self.call("POST", "/campaigns/create", {"name": state.name, "client_id": None})
        base = f"/campaigns/{created['id']}"
        self.call("POST", f"{base}/settings", settings_to_api(state.settings))
        if state.schedule is not None:
            self.call("POST", f"{base}/schedule", schedule_to_api(state.schedule))
        if state.sequence:
            self.call("POST", f"{base}/sequences", {"sequences": steps_to_api(state.sequence)})
        if state.mailboxes:
            ids = [mailbox_ids[m] for m in state.mailboxes]
            self.call("POST", f"{base}/email-accounts", {"email_account_ids": ids})
        for webhook in state.webhooks or ():
            self.call("POST", f"{base}/webhooks", webhook_to_api(webhook))
        leads = list((state.leads or {}).values())
        settings = lead_settings_to_api(desired.lead_policy)
        for start in range(0, len(leads), batch_size):
            rows = [lead_to_api(lead) for lead in leads[start : start + batch_size]]
            self.call("POST", f"{base}/leads", {"lead_list": rows, "settings": settings})
        if state.status is not None and state.status.value == "active":
            self.call("POST", f"{base}/status", {"status": "START"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project")
    parser.add_argument("base_url")
    parser.add_argument("--batch", type=int, default=400)
    parser.add_argument("--time-scale", type=float, default=1.0)
    args = parser.parse_args()
    started = time.perf_counter()
    campaigns = load_desired(Path(args.project), env={}).campaigns
    uploader = NaiveUploader(
        args.base_url, os.environ["SMARTLEAD_API_KEY"], time_scale=args.time_scale
    )
    try:
        figures = uploader.upload(campaigns, batch_size=args.batch)
    finally:
        uploader.close()
    print(
        json.dumps(
            {
                "calls": figures.calls,
                "rate_limited": figures.rate_limited,
                "upload_seconds": figures.seconds,
                "process_seconds": time.perf_counter() - started,
            }
        )
    )


if __name__ == "__main__":
    main()
