"""Errors for the ways a call fails besides an error status: no answer in time, a redirect, a
retry budget or deadline used up, the documented "not found" 2xx. Each says what happened and
which setting changes it; none carries a URL with its query string (the key travels there)."""

from __future__ import annotations

import httpx

from smartlead_sync.redaction import redact
from smartlead_sync.smartlead.api_errors import (
    ApiError,
    NotFound,
    OutOfTime,
    RateLimited,
    TransportError,
)
from smartlead_sync.smartlead.wire import Route

# Failures where the request never reached the server: retrying cannot duplicate anything.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after the request may have been carried out: only safe routes retry these.
AMBIGUOUS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

TIMEOUT_SETTINGS = (
    "--timeout / SMARTLEAD_TIMEOUT (or `timeout_seconds:` in the project file's settings)"
)
DEADLINE_SETTINGS = (
    "--deadline / SMARTLEAD_DEADLINE (or `deadline_seconds:` in the project file's settings)"
)


def _where(url: httpx.URL) -> str:
    """Scheme, host, port and path: never the query string."""
    port = f":{url.port}" if url.port else ""
    return redact(f"{url.scheme}://{url.host}{port}{url.path}")


def transport_error(
    route: Route, exc: httpx.HTTPError, base_url: httpx.URL, timeout: float
) -> TransportError:
    """No usable HTTP answer: refused, unreachable, silent past the read timeout, dropped."""
    host = f"{base_url.host}{f':{base_url.port}' if base_url.port else ''}"
    hint = "check the network and --base-url / SMARTLEAD_BASE_URL"
    if isinstance(exc, httpx.ConnectTimeout):
        reason = f"cannot connect to {host} within {timeout:g}s"
    elif isinstance(exc, NOT_SENT):  # a wrong --base-url or no network: name where we tried
        reason = f"cannot connect to {host}: {exc}"
    elif isinstance(exc, httpx.TimeoutException):
        reason = f"no answer from {host} within {timeout:g}s"
        hint = (
            f"Smartlead was silent; to wait longer per call set {TIMEOUT_SETTINGS}; to bound "
            f"the whole command set {DEADLINE_SETTINGS}"
        )
    else:
        reason = f"{type(exc).__name__}: {exc}"
    return TransportError(
        redact(reason),
        method=route.method,
        route=route.template,
        ambiguous=not isinstance(exc, NOT_SENT) and isinstance(exc, AMBIGUOUS),
        hint=hint,
    )


def absent_error(route: Route, status: int) -> NotFound:
    """A single-resource GET answered `{}` or nothing: Smartlead's "not found" (§2.3, §5.4)."""
    return NotFound(
        "Smartlead answered that it does not exist (an empty object, §2.3)",
        method=route.method,
        route=route.template,
        status=status,
    )


def redirect_error(route: Route, response: httpx.Response) -> ApiError:
    """3xx: the base URL points at something that moved. Never followed: the key would go
    along to wherever it points."""
    location = response.headers.get("location")
    target = _where(response.request.url.join(location)) if location else None
    said = f"the base URL redirects to {target}" if target else "the base URL redirects"
    return ApiError(
        f"{said} (host {response.request.url.host})",
        method=route.method,
        route=route.template,
        status=response.status_code,
        hint="set --base-url / SMARTLEAD_BASE_URL to Smartlead's API root itself "
        "(https://server.smartlead.ai/api/v1); redirects are not followed, so the key is never "
        "sent to another address",
    )


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def gave_up(
    route: Route,
    error: ApiError,
    *,
    attempts: int,
    elapsed: float,
    asked_wait: float | None,
    budget: float,
) -> ApiError:
    """The error to raise when retries stop. A 429 whose own wait is beyond what is left of
    the budget is the server's schedule, not our pace: say so rather than blame the profile."""
    if not isinstance(error, RateLimited):
        return error
    if asked_wait is not None and asked_wait > budget - elapsed:
        return RateLimited(
            f"Smartlead asked to wait {asked_wait:.0f}s ({_duration(asked_wait)}) before the "
            f"next call, beyond the {budget:.0f}s this tool waits at most",
            method=route.method,
            route=route.template,
            status=429,
            hint="the API key's quota looks used up for now (another tool using the same key?): "
            f"run the command again after {_duration(asked_wait)}; what was done is kept",
        )
    return RateLimited(
        f"still rate limited after {attempts} attempts over {elapsed:.1f}s",
        method=route.method,
        route=route.template,
        status=429,
        hint=error.hint,
    )


def out_of_time(
    route: Route, deadline: float, last: ApiError | None, *, wait: float = 0.0, left: float = 0.0
) -> OutOfTime:
    """The overall deadline passed before this call could be made, or retried after `last`; or,
    with `left` > 0, the retry due in `wait` seconds would start after it, so none was tried."""
    after = f" (last answer: {last.server_message})" if last is not None else ""
    if left > 0 and wait > 0:
        said = (
            f"stopped retrying this call: the next retry was due in {wait:.3g}s, after the "
            f"overall deadline of {deadline:g}s ({left:.3g}s left){after}"
        )
    else:
        said = (
            f"the overall deadline of {deadline:g}s passed before this call could be "
            f"{'retried' if last is not None else 'made'}{after}"
        )
    return OutOfTime(
        said,
        method=route.method,
        route=route.template,
        status=last.status if last is not None else None,
        ambiguous=last.ambiguous if last is not None else False,
        hint=f"Smartlead is slow or failing; run again later, or allow more time with "
        f"{DEADLINE_SETTINGS}",
    )
