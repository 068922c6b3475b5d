"""Wire-level pieces of the client: routes, body decoding, error mapping, redaction, HTTP log.

Smartlead has no single envelope (smartlead-api.md §1): bare arrays, `{ok:...}` objects,
plain-text `success`, `{}` for not found. Everything here turns that zoo into plain values or a
typed `ApiError`, and makes sure the API key (a query parameter) never reaches text.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import httpx

from smartlead_sync.redaction import redact
from smartlead_sync.smartlead.api_errors import (
    ApiError,
    AuthError,
    NotFound,
    RateLimited,
    RequestRejected,
    ResponseError,
    ServerError,
)
from smartlead_sync.smartlead.response_bodies import Shape
from smartlead_sync.smartlead.retry import CallKind

_MAX_MESSAGE = 300
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Route:
    """One API route: its template is what errors, logs and stats show (never a real URL)."""

    method: str
    template: str
    kind: CallKind
    shape: Shape  # what a 2xx body must look like (shapes.py); nothing else is accepted
    safe: bool = True  # may be retried after an ambiguous failure (design.md, idempotency)

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"

    def path(self, **params: int) -> str:
        return self.template.format(**params)


@dataclass(frozen=True)
class Request:
    """One logical call: the route, its filled-in path, and what goes with it."""

    route: Route
    path: str
    params: dict[str, Any] | None = None
    body: Any = None
    items: int | None = None  # leads or rows in the body, for the HTTP log
    gone_ok: bool = False  # a delete: NotFound after an unanswered attempt means it was done


class _KeyScrubber(logging.Filter):
    """httpx logs every request URL at INFO, with the key in it: rewrite those records."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "api_key=" in message.lower():
            record.msg = redact(message)
            record.args = None
        return True


def install_log_scrubber() -> None:
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _KeyScrubber) for f in logger.filters):
            logger.addFilter(_KeyScrubber())


def decode_body(response: httpx.Response) -> Any:
    """JSON when the body looks like JSON, else the stripped text, else None (§12)."""
    text = response.text.strip()
    if not text:
        return None
    if text[0] in "{[":
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def server_message(body: Any) -> str:
    """The most specific human message in an error body (flat, Joi or nested shapes, §2.3)."""
    if isinstance(body, dict):
        error, message = body.get("error"), body.get("message")
        if isinstance(error, dict):
            error = error.get("message") or error.get("code")
        # Joi failures put the generic "Bad Request" in `error` and the reason in `message`.
        if isinstance(message, str) and message and (not error or error == "Bad Request"):
            return message[:_MAX_MESSAGE]
        if isinstance(error, str) and error:
            return error[:_MAX_MESSAGE]
        if isinstance(message, str) and message:
            return message[:_MAX_MESSAGE]
        return "no error message in the response"
    if isinstance(body, str):
        # Express answers unknown routes with an HTML page around "Cannot GET /api/v1/..." (§1).
        text = _TAG.sub(" ", body) if body.lstrip().startswith("<") else body
        return " ".join(text.split())[:_MAX_MESSAGE]
    return "empty response"


_HINTS = {
    AuthError: "check SMARTLEAD_API_KEY (or --api-key); API access needs a paid Smartlead plan",
    RateLimited: "Smartlead kept answering 429: choose a stricter rate_limit_profile",
    ServerError: "Smartlead had a server error; run the command again later",
}

# A 404 on a route without ids (the campaign list, the mailbox list) is not a missing object:
# the server does not know the route, so the base URL points somewhere else.
_WRONG_BASE_URL = (
    "check --base-url / SMARTLEAD_BASE_URL: it should be Smartlead's API root, ending in /api/v1"
)


def error_for_status(
    route: Route, status: int, message: str, *, ambiguous: bool = False
) -> ApiError:
    """The typed error for a non-2xx status (400/422 validation, 401/403 auth, ... §2.3)."""
    cls: type[ApiError] = ApiError
    if status in (400, 422):
        cls = RequestRejected
    elif status in (401, 403):
        cls = AuthError
    elif status == 404:
        cls = NotFound
    elif status == 429:
        cls = RateLimited
    elif status >= 500:
        cls = ServerError
    return cls(
        message,
        method=route.method,
        route=route.template,
        status=status,
        ambiguous=ambiguous,
        hint=_WRONG_BASE_URL if status == 404 and "{" not in route.template else _HINTS.get(cls),
    )


def unusable_error(route: Route, status: int, what: str) -> ApiError:
    """A 2xx whose body does not have the route's shape. On a write the server may have
    acted, so the error is ambiguous (a create is then looked up, never blindly repeated)."""
    read = route.method == "GET"
    hint = (
        "nothing was written after this read; Smartlead may be under maintenance: run the "
        "command again later, and check --base-url / SMARTLEAD_BASE_URL if it persists"
        if read
        else "the write may or may not have been made: run `smartlead-sync plan` to see"
    )
    return ResponseError(
        f"Smartlead answered something unusable: {what}, where {route.shape.expected} was expected",
        method=route.method,
        route=route.template,
        status=status,
        ambiguous=not read,
        hint=hint,
    )


def ratelimit_remaining(headers: httpx.Headers) -> int | None:
    value = headers.get("x-ratelimit-remaining")
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


class HttpLog:
    """`--log-http`: one JSON line per attempt. No key, no URL, no body; lead counts only."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = path.open("a", encoding="utf-8")

    def write(
        self,
        route: Route,
        *,
        status: int | None,
        duration: float,
        wait: float,
        attempt: int,
        outcome: str,
        items: int | None = None,
    ) -> None:
        entry: dict[str, Any] = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "method": route.method,
            "route": route.template,
            "status": status,
            "duration_ms": round(duration * 1000, 1),
            "wait_ms": round(wait * 1000, 1),
            "attempt": attempt,
            "outcome": outcome,
        }
        if items is not None:
            entry["items"] = items
        with self._lock:
            try:
                self._file.write(redact(json.dumps(entry)) + "\n")
                self._file.flush()
            except OSError as exc:  # named, so the message says which file could not be written
                raise OSError(exc.errno, exc.strerror, self._file.name) from None

    def close(self) -> None:
        with self._lock:
            try:
                self._file.close()
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, self._file.name) from None
