"""Requests to the GitHub REST API: the token in the `Authorization` header only, rate limits
waited out within a `RetryPolicy`, and every refusal a `GitHubError` whose message names the
route and never the token. `github_calls.py` builds the repository's calls on this.

Built on httpx with a transport seam, so tests serve a fake GitHub through `httpx.MockTransport`.
A rate limit (429, or 403 with GitHub's rate-limit headers) is waited out and the request sent
again: GitHub refused it, so nothing was written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx

from smartlead_sync import __version__
from smartlead_sync.errors import SyncError
from smartlead_sync.gitops.github_backoff import RateLimit, RetryPolicy, rate_limit
from smartlead_sync.redaction import SecretValue, redact

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
_PAGE_SIZE = 100
_MAX_PAGES = 50  # 5,000 comments or open issues: far beyond any repository we expect

HINTS = {
    401: "GitHub refused the token: pass `GITHUB_TOKEN: ${{ github.token }}` in the step's env",
    403: (
        "the token lacks a permission: the job needs `pull-requests: write` for the plan "
        "comment, `issues: write` for the drift issue, `actions: read` for last-applied and "
        "for plan artifacts"
    ),
    404: "check GITHUB_REPOSITORY and that the token can see that repository",
}


class GitHubError(SyncError):
    """GitHub answered with an error or could not be reached. The message never has the token.

    `status` is GitHub's HTTP status (None: no answer)."""

    def __init__(self, message: str, *, hint: str | None = None, status: int | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


def github_http(
    api_url: str,
    token: SecretValue,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout_seconds: float = 30.0,
) -> httpx.Client:
    """An httpx client for the GitHub REST API at `api_url` (GITHUB_API_URL on Enterprise)."""
    headers = {
        "Accept": "application/vnd.github+json",
        "Authorization": f"Bearer {token.get_secret_value()}",
        "X-GitHub-Api-Version": API_VERSION,
        "User-Agent": f"smartlead-sync/{__version__}",
    }
    return httpx.Client(
        base_url=api_url.rstrip("/"), headers=headers, transport=transport, timeout=timeout_seconds
    )


_Api = TypeVar("_Api", bound="GitHubApi")


class GitHubApi:
    """Sends requests to the GitHub REST API through `http` (see `github_http`).

    `sleep` and `clock` (UTC epoch seconds) are injected so that tests need not wait."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._clock = clock

    def __enter__(self: _Api) -> _Api:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._http.close()

    def _paginate(self, path: str, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        url: str | None = path
        query: dict[str, str] | None = {**params, "per_page": str(_PAGE_SIZE)}
        for _ in range(_MAX_PAGES):
            if url is None:
                return
            response = self._request("GET", url, params=query)
            page = decode(response)
            if not isinstance(page, list):
                raise GitHubError(f"GitHub GET {path}: expected a list, got {type(page).__name__}")
            yield from (item for item in page if isinstance(item, dict))
            # The next page's URL carries the query already (RFC 8288 Link header).
            url, query = response.links.get("next", {}).get("url"), None

    def _json(self, method: str, path: str, payload: dict[str, Any] | None) -> dict[str, Any]:
        """Send `payload` (comment and issue text: known secrets redacted) and decode."""
        if payload is not None:
            payload = {k: redact(v) if isinstance(v, str) else v for k, v in payload.items()}
        answer = decode(self._request(method, path, json=payload))
        return answer if isinstance(answer, dict) else {}

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """Send, waiting out rate limits within the policy; any other refusal is an error."""
        route = path if path.startswith("/") else httpx.URL(path).path
        waited = 0.0
        for repeat in range(self._policy.attempts):
            response = self._send(method, path, route, params=params, json=json)
            if response.is_success:
                return response
            limit = rate_limit(response, repeat=repeat, now=self._clock())
            if limit is None:
                raise GitHubError(
                    f"GitHub {method} {route} answered {response.status_code}: {message(response)}",
                    hint=HINTS.get(response.status_code),
                    status=response.status_code,
                )
            if not self._may_wait(limit, waited, tries=repeat + 1):
                raise _rate_limited(method, route, limit, self._policy, tries=repeat + 1)
            self._sleep(limit.wait)
            waited += limit.wait
        raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover

    def _may_wait(self, limit: RateLimit, waited: float, *, tries: int) -> bool:
        policy = self._policy
        return (
            tries < policy.attempts
            and limit.wait <= policy.longest_wait
            and waited + limit.wait <= policy.total_wait
        )

    def _send(
        self,
        method: str,
        path: str,
        route: str,
        *,
        params: dict[str, str] | None,
        json: dict[str, Any] | None,
    ) -> httpx.Response:
        try:
            return self._http.request(method, path, params=params, json=json)
        except httpx.HTTPError as exc:
            raise GitHubError(
                f"GitHub {method} {route}: could not reach {self._http.base_url.host}: "
                f"{type(exc).__name__}"
            ) from None


def _rate_limited(
    method: str, route: str, limit: RateLimit, policy: RetryPolicy, *, tries: int
) -> GitHubError:
    which = "a secondary rate limit" if limit.secondary else "the hourly request budget"
    return GitHubError(
        f"GitHub {method} {route}: refused for {which} after {tries} "
        f"tr{'y' if tries == 1 else 'ies'}; GitHub asks to wait {limit.wait:.0f} s more",
        hint=(
            f"smartlead-sync waits at most {policy.longest_wait:.0f} s at a time and "
            f"{policy.total_wait:.0f} s in all; run the job again later (every workflow of "
            "the repository shares the token's budget)"
        ),
        status=httpx.codes.TOO_MANY_REQUESTS,
    )


def as_int(value: object, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise GitHubError(f"GitHub {what}: expected a number, got {type(value).__name__}")


def decode(response: httpx.Response) -> object:
    if response.status_code == httpx.codes.NO_CONTENT or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise GitHubError(
            f"GitHub {response.request.method} {response.request.url.path}: the answer is not JSON"
        ) from None


def message(response: httpx.Response) -> str:
    """GitHub's own explanation, short: `message` plus any validation `errors` messages."""
    try:
        payload = response.json()
    except ValueError:
        return response.reason_phrase or "no details"
    if not isinstance(payload, dict):
        return "no details"
    parts = [str(payload.get("message") or "no details")]
    for error in payload.get("errors") or ():
        if isinstance(error, dict) and error.get("message"):
            parts.append(str(error["message"]))
    return "; ".join(parts)[:300]
