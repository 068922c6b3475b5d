"""Errors raised by the Smartlead client and provider: the `ApiError` branch of api_errors.py.

    ApiError                  carries method, route template and HTTP status; never the key
    ├── AuthError             401/403: missing, wrong or unauthorised API key
    ├── NotFound              404, or 200 with `{}` on a single-resource GET (smartlead-api.md §2.3)
    ├── RequestRejected       400/422 with the server's message
    ├── RateLimited           429 and we gave up waiting (attempts or total time exhausted)
    ├── ServerError           5xx
    ├── TransportError        timeout, refused or dropped connection
    ├── OutOfTime             the overall deadline passed before a call or its retry
    └── ResponseError         2xx whose body does not have the documented shape

`ambiguous` is True when the server may have carried the request out although we saw a failure
(5xx, read timeout, dropped connection): a create must then be reconciled, never blindly retried.
"""

from __future__ import annotations

from typing import ClassVar

from smartlead_sync.errors import SyncError


class ApiError(SyncError):
    """Smartlead answered with an error, or could not be reached."""

    kind = "api"
    # What a `--log-http` line's `outcome` says for this failure (None: the class name).
    log_outcome: ClassVar[str | None] = None

    def __init__(
        self,
        message: str,
        *,
        method: str,
        route: str,
        status: int | None = None,
        ambiguous: bool = False,
        hint: str | None = None,
    ) -> None:
        where = f"{method} {route}"
        shown = f"HTTP {status}" if status is not None else "no response"
        super().__init__(f"Smartlead API {where} failed ({shown}): {message}", hint=hint)
        self.method = method
        self.route = route
        self.status = status
        self.server_message = message
        self.ambiguous = ambiguous

    @property
    def outcome(self) -> str:
        """The failure as a `--log-http` line names it."""
        return self.log_outcome or type(self).__name__

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.method} {self.route}, status={self.status})"


class AuthError(ApiError):
    """The API key is missing, wrong or lacks access (401/403)."""


class NotFound(ApiError):
    """The campaign, lead or webhook does not exist (or is not visible to this key)."""


class RequestRejected(ApiError):
    """Smartlead rejected the request body or query (400/422); `server_message` says why."""

    log_outcome = "ValidationError"  # the outcome scripts reading `--log-http` lines match


class RateLimited(ApiError):
    """Smartlead kept answering 429 and the retry budget (attempts or total time) ran out."""


class ServerError(ApiError):
    """Smartlead answered 5xx."""


class TransportError(ApiError):
    """No usable HTTP response: timeout, refused or dropped connection."""


class OutOfTime(ApiError):
    """The command's overall deadline passed before a call could be made or retried."""


class ResponseError(ApiError):
    """A success status with a body that does not have the shape the route documents."""
