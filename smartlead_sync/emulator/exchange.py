"""Transport-neutral request and response, and the error bodies Smartlead answers with.

Both the in-process httpx transport and the loopback HTTP server turn their requests into a
`Request` and write back a `Response`, so one handler serves both.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # URL path without the query string
    query: Mapping[str, str]  # first value of each query parameter
    body: bytes = b""

    @classmethod
    def from_target(cls, method: str, target: str, body: bytes = b"") -> Request:
        """Build from a request target such as `/api/v1/campaigns?api_key=...`."""
        path, _, raw_query = target.partition("?")
        query = {k: v[0] for k, v in parse_qs(raw_query, keep_blank_values=True).items()}
        return cls(method.upper(), path, query, body)


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    drop_connection: bool = False  # fault injection: close without answering

    def json(self) -> Any:
        return json.loads(self.body)


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(payload, separators=(",", ":")).encode())


def text_response(text: str, status: int = 200, content_type: str = "text/html") -> Response:
    return Response(status, text.encode(), f"{content_type}; charset=utf-8")


class ApiFailure(Exception):
    """Raised by a route handler to answer with an error; the transaction is rolled back."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def flat_error(message: str, status: int = 400) -> ApiFailure:
    """The flat `{error}` body used for 400 and 404 (smartlead-api.md §2.3)."""
    return ApiFailure(json_response({"error": message}, status))


def campaign_not_found() -> ApiFailure:
    return flat_error("Campaign not found - Invalid campaign_id.", 404)


def lead_not_found() -> ApiFailure:
    return flat_error("Lead not found - Invalid lead_id.", 404)


def joi_error(message: str, key: str, source: str = "body") -> ApiFailure:
    """A celebrate/Joi validation failure (§2.3, §13.11): generic error, field in `message`."""
    payload = {
        "statusCode": 400,
        "error": "Bad Request",
        "message": message,
        "validation": {source: {"source": source, "keys": [key], "message": message}},
    }
    return ApiFailure(json_response(payload, 400))


def express_not_found(method: str, path: str) -> Response:
    """Express's default 404 page for a route it does not know (§1 "Unknown route")."""
    html = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Error</title>\n</head>\n<body>\n"
        f"<pre>Cannot {method} {_html_escape(path)}</pre>\n</body>\n</html>\n"
    )
    response = text_response(html, 404)
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _html_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
