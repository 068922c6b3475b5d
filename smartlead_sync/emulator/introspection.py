"""Test-only routes outside /api/v1, for driving an emulator that runs in another process.

GET  /_emulator/health              {"ok": true}
GET  /_emulator/stats[?log=0]       EmulatorStats as JSON
POST /_emulator/stats/reset
GET  /_emulator/faults              the current faults
POST /_emulator/faults              replace them (Faults fields; lists for sets)
POST /_emulator/actions/{name}      a UI action (ui.ACTIONS) with keyword arguments as JSON
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from smartlead_sync.emulator.config import faults_from_mapping, faults_to_mapping
from smartlead_sync.emulator.exchange import Request, Response, express_not_found, json_response
from smartlead_sync.emulator.ui import ACTIONS

if TYPE_CHECKING:
    from smartlead_sync.emulator.app import Emulator


def introspect(emulator: Emulator, request: Request) -> Response:
    path = request.path.rstrip("/")
    route = (request.method, path)
    try:
        if route == ("GET", "/_emulator/health"):
            return json_response({"ok": True})
        if route == ("GET", "/_emulator/stats"):
            with_log = request.query.get("log", "1") not in ("0", "false")
            return json_response(emulator.stats().to_dict(with_log=with_log))
        if route == ("POST", "/_emulator/stats/reset"):
            emulator.reset_stats()
            return json_response({"ok": True})
        if route == ("GET", "/_emulator/faults"):
            return json_response(faults_to_mapping(emulator.faults))
        if route == ("POST", "/_emulator/faults"):
            emulator.set_faults(faults_from_mapping(_body(request)))
            return json_response({"ok": True})
        if request.method == "POST" and path.startswith("/_emulator/actions/"):
            name = path.rsplit("/", 1)[1]
            if name not in ACTIONS:
                return json_response(
                    {"error": f"unknown action {name!r}", "actions": sorted(ACTIONS)}, 404
                )
            return json_response({"ok": True, "result": emulator.act(name, **_body(request))})
    except (ValueError, TypeError) as exc:
        return json_response({"error": str(exc)}, 400)
    except LookupError as exc:  # UnknownObject, or a step a simulated send names
        return json_response({"error": str(exc)}, 404)
    return express_not_found(request.method, request.path)


def _body(request: Request) -> dict[str, Any]:
    if not request.body.strip():
        return {}
    data = json.loads(request.body)
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return data
