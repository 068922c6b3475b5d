"""Real HTTP on loopback: a stdlib ThreadingHTTPServer in a background thread."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING

from smartlead_sync.emulator.exchange import Request
from smartlead_sync.emulator.routing import API_PREFIX

if TYPE_CHECKING:
    from smartlead_sync.emulator.app import Emulator


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # keep-alive connections must not hold up shutdown
    emulator: Emulator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "smartlead-emulator"
    sys_version = ""
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        response = self.server.emulator.handle(Request.from_target(self.command, self.path, body))
        if response.drop_connection:
            self.close_connection = True  # fault injection: hang up without a word
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Powered-By", "Express")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the request line carries the API key."""


class RunningServer:
    """A served emulator; `base_url` is what a client uses (`http://127.0.0.1:PORT/api/v1`)."""

    def __init__(self, server: _Server, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        host, port = server.server_address[:2]
        self.host = str(host)
        self.port = int(port)
        self.root_url = f"http://{self.host}:{self.port}"
        self.base_url = f"{self.root_url}{API_PREFIX}"
        self._closed = False

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def wait(self) -> None:
        """Block until the server stops (used by `emulator serve`)."""
        while self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def start_server(emulator: Emulator, host: str, port: int) -> RunningServer:
    server = _Server((host, port), _Handler)
    server.emulator = emulator
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="smartlead-emulator",
        daemon=True,
    )
    thread.start()
    return RunningServer(server, thread)
