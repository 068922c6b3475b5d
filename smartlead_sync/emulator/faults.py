"""Seeded fault injection: 5xx before commit, lost responses after commit, latency, forced 429,
and bad bodies: a 2xx whose body is unusable (an HTML maintenance page, a bare `{"message"}`,
truncated JSON or CSV, `null`, wrong types, items without ids), served on a chosen route."""

from __future__ import annotations

import csv
import io
import json
import random
import threading
from dataclasses import dataclass
from typing import Any

from smartlead_sync.emulator.config import BadBody, Faults
from smartlead_sync.emulator.exchange import Response, json_response, text_response

_MAINTENANCE_PAGE = (
    "<!DOCTYPE html><html><head><title>Maintenance</title></head>"
    "<body><h1>We'll be back soon</h1></body></html>"
)


@dataclass(frozen=True)
class FaultPlan:
    """What to do to one call."""

    latency: float = 0.0
    force_429: bool = False
    server_error: bool = False
    lose_response: str | None = None  # "drop" or "502"
    drop_write: bool = False  # answer as usual, keep nothing
    bad_body: BadBody | None = None

    @property
    def label(self) -> str | None:
        if self.bad_body:
            return f"bad_body_{self.bad_body}"
        if self.force_429:
            return "forced_429"
        if self.server_error:
            return "server_error"
        if self.lose_response:
            return f"lost_response_{self.lose_response}"
        if self.drop_write:
            return "dropped_write"
        return None


class FaultInjector:
    def __init__(self, faults: Faults) -> None:
        self._lock = threading.Lock()
        self.set(faults)

    def set(self, faults: Faults) -> None:
        """Install new faults; call numbering and the random sequence restart."""
        with self._lock:
            self._faults = faults
            self._rng = random.Random(faults.seed)
            self._calls = 0

    @property
    def faults(self) -> Faults:
        return self._faults

    def plan(self, route_name: str) -> FaultPlan:
        """Decide the faults of the next call to `route_name` ("METHOD /template")."""
        with self._lock:
            f = self._faults
            bad_body = dict(f.bad_bodies).get(route_name)
            if bad_body is not None:
                return FaultPlan(bad_body=bad_body)
            if f.routes and route_name not in f.routes:
                return FaultPlan()
            self._calls += 1
            n = self._calls
            latency = self._rng.uniform(*f.latency) if f.latency[1] > 0 else 0.0
            server_error = n in f.server_error_on_calls or self._roll(f.server_error_rate)
            lose = n in f.lose_response_on_calls or self._roll(f.lost_response_rate)
            kind = f.lost_response_kind
            if lose and kind == "mixed":
                kind = "drop" if self._rng.random() < 0.5 else "502"
            return FaultPlan(
                latency=latency,
                force_429=n in f.force_429_on_calls,
                server_error=server_error,
                lose_response=kind if lose and not server_error else None,
                drop_write=n in f.drop_write_on_calls and not server_error,
            )

    def _roll(self, rate: float) -> bool:
        return rate > 0 and self._rng.random() < rate


def corrupt(response: Response, kind: BadBody) -> Response:
    """`response` (the real answer, already committed) replaced by a bad body of `kind`."""
    is_csv = response.content_type.startswith("text/csv")
    match kind:
        case "html":
            return text_response(_MAINTENANCE_PAGE)
        case "message":
            return json_response({"message": "Service temporarily unavailable"})
        case "null":
            return Response(200, b"null")
        case "empty":
            return Response(200, b"", response.content_type)
        case "not_found":
            return json_response({"error": "Not found"}, 404)
        case "truncated":
            return Response(200, _truncated(response.body, is_csv), response.content_type)
    if is_csv:
        return Response(200, _csv_changed(response.body, kind), response.content_type)
    changed = _ints_as_lists if kind == "wrong_types" else _without_ids
    return Response(200, json.dumps(changed(json.loads(response.body))).encode())


def _truncated(body: bytes, is_csv: bool) -> bytes:
    """Cut off mid-value: JSON at half, CSV inside the first field of its last row."""
    if not is_csv:
        return body[: max(len(body) // 2, 1)]
    last_row = body.rstrip(b"\n").rfind(b"\n") + 1
    return body[: last_row + 1]


def _ints_as_lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _ints_as_lists(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ints_as_lists(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    return value


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _csv_changed(body: bytes, kind: BadBody) -> bytes:
    """Wrong types: ids that are not numbers; missing ids: no id column."""
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    columns = [c for c in (rows[0] if rows else {"id": "", "email": ""}) if c]
    if kind == "missing_ids":
        columns = [c for c in columns if c != "id"]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "id": "n/a"} if kind == "wrong_types" else row)
    return out.getvalue().encode()
