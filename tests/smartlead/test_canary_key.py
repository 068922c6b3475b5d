"""The API key never shows: not in errors, reprs, tracebacks, logs, the HTTP log or output."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from smartlead_sync.emulator import Emulator, EmulatorConfig, Faults
from smartlead_sync.smartlead.api_errors import (
    ApiError,
    AuthError,
    RateLimited,
    ResponseError,
    ServerError,
    TransportError,
)
from smartlead_sync.smartlead.client import SmartleadClient
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import Lead, LeadPolicy
from tests.conftest import CANARY_KEY
from tests.emulated import STRICT, client_for

SCALE = 1000.0
ACCEPTS_CANARY = EmulatorConfig(api_keys=(CANARY_KEY,), time_scale=SCALE)


@contextmanager
def _client(
    config: EmulatorConfig | None, log: Path, timeout: float = 5.0
) -> Iterator[SmartleadClient]:
    if config is None:  # nothing listens on port 9 of loopback
        with client_for(
            "http://127.0.0.1:9/api/v1",
            limits=STRICT,
            time_scale=SCALE,
            key=CANARY_KEY,
            http_log=log,
        ) as client:
            yield client
        return
    emulator = Emulator(config)
    server = emulator.serve()
    try:
        with client_for(
            server.base_url,
            limits=STRICT,
            time_scale=SCALE,
            key=CANARY_KEY,
            timeout=timeout,
            http_log=log,
        ) as client:
            yield client
    finally:
        time.sleep(0.3 if timeout < 1 else 0)  # let a slow server thread finish first
        emulator.close()


def _faulty(**faults: Any) -> EmulatorConfig:
    return EmulatorConfig(api_keys=(CANARY_KEY,), time_scale=SCALE, faults=Faults(**faults))


Call = Callable[[SmartleadProvider], object]


@dataclass(frozen=True)
class Case:
    """One failure path: the server's behaviour, the call that meets it, the error expected."""

    name: str
    config: EmulatorConfig | None  # None: nothing listens
    call: Call
    error: type[ApiError]
    timeout: float = 5.0


CASES = [
    Case("bad key", EmulatorConfig(time_scale=SCALE), lambda p: p.list_campaigns(), AuthError),
    Case("500 on reads", _faulty(server_error_rate=1.0), lambda p: p.read_campaign(1), ServerError),
    Case(
        "500 on create",
        _faulty(server_error_rate=1.0),
        lambda p: p.create_campaign("c", None),
        ServerError,
    ),
    Case(
        "timeouts",
        _faulty(latency=(0.3, 0.3)),
        lambda p: p.list_mailboxes(),
        TransportError,
        timeout=0.05,
    ),
    Case(
        "dropped connection",
        _faulty(lost_response_rate=1.0, lost_response_kind="drop"),
        lambda p: p.add_leads(1, [Lead("a@b.io")], LeadPolicy()),
        TransportError,
    ),
    Case(
        "always 429",
        _faulty(force_429_on_calls=frozenset(range(1, 50))),
        lambda p: p.list_campaigns(),
        RateLimited,
    ),
    Case("connection refused", None, lambda p: p.list_campaigns(), TransportError),
    Case(
        "unusable 200",
        _faulty(bad_bodies=(("GET /campaigns", "html"),)),
        lambda p: p.list_campaigns(),
        ResponseError,
    ),
    Case(
        "truncated 200",
        _faulty(bad_bodies=(("GET /email-accounts", "truncated"),)),
        lambda p: p.list_mailboxes(),
        ResponseError,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_canary_key_never_appears(
    case: Case,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore log request URLs at INFO/DEBUG
    log = tmp_path / "http.jsonl"
    with _client(case.config, log, case.timeout) as client, pytest.raises(case.error) as info:
        case.call(SmartleadProvider(client))
    exc = info.value
    texts = {
        "str": str(exc),
        "repr": repr(exc),
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
        "http log": log.read_text() if log.exists() else "",
        "logging": caplog.text,
        "output": "".join(capsys.readouterr()),
    }
    assert texts["http log"], "every attempt is logged"
    if exc.status is not None:  # httpx logged the request URL, with the key scrubbed
        assert "api_key=***" in caplog.text
    for where, text in texts.items():
        assert CANARY_KEY not in text, f"key leaked into {where} ({case.name})"
    assert exc.route.startswith("/")
