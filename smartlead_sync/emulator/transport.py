"""The emulator behind an httpx transport: no sockets, same handler as the HTTP server."""

from __future__ import annotations

import httpx

from smartlead_sync.emulator.exchange import Request

TRANSPORT_BASE_URL = "http://smartlead-emulator.invalid/api/v1"


class EmulatorTransport(httpx.BaseTransport):
    """Thread-safe: the emulator serialises state access itself."""

    def __init__(self, emulator: object) -> None:
        from smartlead_sync.emulator.app import Emulator

        assert isinstance(emulator, Emulator)
        self._emulator = emulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        target = request.url.raw_path.decode("ascii")
        answer = self._emulator.handle(Request.from_target(request.method, target, body))
        if answer.drop_connection:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        headers = {"content-type": answer.content_type, **answer.headers}
        return httpx.Response(answer.status, headers=headers, content=answer.body, request=request)
