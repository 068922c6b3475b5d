"""A package index's JSON API on loopback, for the workflows' lock: never the real PyPI."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakePyPI(BaseHTTPRequestHandler):
    """Every `/pypi/<name>/<version>/json` lists two files, unless the name is in `missing`."""

    missing: set[str] = set()
    asked: list[str] = []

    def do_GET(self) -> None:
        parts = self.path.split("/")
        self.asked.append(parts[2])
        if parts[2] in self.missing:
            self._send(404, {"message": "Not Found"})
            return
        digests = [hashlib.sha256(f"{self.path}{n}".encode()).hexdigest() for n in (1, 2)]
        self._send(200, {"urls": [{"digests": {"sha256": d}} for d in digests]})

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def fake_index() -> Iterator[tuple[str, type[FakePyPI]]]:
    """The index URL (`http://127.0.0.1:PORT/pypi`) and its handler class, whose `missing`
    and `asked` belong to this server alone."""
    handler = type("Handler", (FakePyPI,), {"missing": set(), "asked": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/pypi", handler
    finally:
        server.shutdown()
        server.server_close()
