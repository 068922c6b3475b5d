"""The few GitHub REST API calls smartlead-sync makes: comments and issues of one repository, the
pull request that merged a commit, and the plan artifacts of workflow runs.

Built on httpx with a transport seam, so tests serve a fake GitHub through `httpx.MockTransport`.
The token travels in the `Authorization` header only; no message built here contains it. A rate
limit (429, or 403 with GitHub's rate-limit headers) is waited out and the request sent again,
within the caps of a `RetryPolicy`: GitHub refused it, so nothing was written.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from smartlead_sync import __version__
from smartlead_sync.errors import SyncError
from smartlead_sync.gitops.decisions import Comment, Issue
from smartlead_sync.gitops.ratelimit import RateLimit, RetryPolicy, rate_limit
from smartlead_sync.redaction import SecretValue, redact

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
_PAGE_SIZE = 100
_SHA = re.compile(r"^[0-9a-f]{40}$")
_MAX_PAGES = 50  # 5,000 comments or open issues: far beyond any repository we expect

_HINTS = {
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


class GitHubRepository:
    """Comments, issues and labels of one repository (`owner/name`).

    `sleep` and `clock` (UTC epoch seconds) are injected so that tests need not wait."""

    def __init__(
        self,
        http: httpx.Client,
        repository: str,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._base = f"/repos/{repository}"
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._clock = clock

    def __enter__(self) -> GitHubRepository:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._http.close()

    def list_comments(self, issue_number: int) -> list[Comment]:
        """Every comment of an issue or pull request, oldest first."""
        return [
            Comment(id=int(item["id"]), body=item.get("body") or "")
            for item in self._paginate(f"{self._base}/issues/{issue_number}/comments", {})
        ]

    def create_comment(self, issue_number: int, body: str) -> str:
        created = self._json("POST", f"{self._base}/issues/{issue_number}/comments", {"body": body})
        return str(created.get("html_url", ""))

    def update_comment(self, comment_id: int, body: str) -> str:
        updated = self._json("PATCH", f"{self._base}/issues/comments/{comment_id}", {"body": body})
        return str(updated.get("html_url", ""))

    def delete_comment(self, comment_id: int) -> None:
        self._request("DELETE", f"{self._base}/issues/comments/{comment_id}")

    def list_open_issues(self, label: str | None = None) -> list[Issue]:
        """Open issues (only those carrying `label`, if given), oldest first; the issues route
        also lists pull requests, skipped here."""
        params = {"state": "open", "sort": "created", "direction": "asc"}
        if label is not None:
            params["labels"] = label
        return [
            Issue(
                number=int(item["number"]),
                title=item.get("title") or "",
                body=item.get("body") or "",
            )
            for item in self._paginate(f"{self._base}/issues", params)
            if "pull_request" not in item
        ]

    def create_issue(self, title: str, body: str, labels: tuple[str, ...] = ()) -> str:
        payload: dict[str, Any] = {"title": title, "body": body}
        if labels:
            payload["labels"] = list(labels)
        created = self._json("POST", f"{self._base}/issues", payload)
        return str(created.get("html_url", ""))

    def ensure_label(self, name: str, color: str, description: str) -> None:
        """Create the label unless the repository has it (a label created meanwhile is fine)."""
        try:
            self._request("GET", f"{self._base}/labels/{name}")
            return
        except GitHubError as exc:
            if exc.status != httpx.codes.NOT_FOUND:
                raise
        payload = {"name": name, "color": color, "description": description}
        try:
            self._json("POST", f"{self._base}/labels", payload)
        except GitHubError as exc:
            if exc.status != httpx.codes.UNPROCESSABLE_ENTITY:  # 422: it exists by now
                raise

    def update_issue(self, number: int, body: str) -> str:
        updated = self._json("PATCH", f"{self._base}/issues/{number}", {"body": body})
        return str(updated.get("html_url", ""))

    def close_issue(self, number: int, *, duplicate: bool = False) -> None:
        reason = "not_planned" if duplicate else "completed"
        self._json(
            "PATCH", f"{self._base}/issues/{number}", {"state": "closed", "state_reason": reason}
        )

    def last_successful_run_sha(self, workflow: str, branch: str) -> str | None:
        """The commit of the newest successful run of `workflow` (a file name) on `branch`."""
        params = {"status": "success", "branch": branch, "per_page": "1"}
        path = f"{self._base}/actions/workflows/{workflow}/runs"
        answer = _decode(self._request("GET", path, params=params))
        runs = answer.get("workflow_runs") if isinstance(answer, dict) else None
        if not runs or not isinstance(runs[0], dict):
            return None
        sha = str(runs[0].get("head_sha") or "")
        return sha if _SHA.match(sha) else None

    def repository_id(self) -> int:
        """The repository's numeric id (artifacts name the repository of their run by id)."""
        answer = self._json("GET", self._base, None)
        return _int(answer.get("id"), f"GET {self._base}: id")

    def pulls_of_commit(self, sha: str) -> list[dict[str, Any]]:
        """The pull requests GitHub associates with a commit: on the default branch, the merged
        one that introduced it (raw objects; `gitops.reviewed` reads them)."""
        return list(self._paginate(f"{self._base}/commits/{sha}/pulls", {}))

    def artifacts_named(self, name: str) -> list[dict[str, Any]]:
        """Every artifact of the repository's workflow runs with exactly this name (raw)."""
        path = f"{self._base}/actions/artifacts"
        answer = _decode(self._request("GET", path, params={"name": name, "per_page": "100"}))
        found = answer.get("artifacts") if isinstance(answer, dict) else None
        if not isinstance(found, list):
            raise GitHubError(f"GitHub GET {path}: the answer has no `artifacts` list")
        return [item for item in found if isinstance(item, dict)]

    def download_artifact(self, artifact_id: int, max_bytes: int) -> bytes:
        """The zip of an artifact. GitHub answers with a redirect to signed storage; httpx
        drops the token on the way there (another host), and the signed URL is never shown."""
        route = f"{self._base}/actions/artifacts/{artifact_id}/zip"
        chunks: list[bytes] = []
        try:
            with self._http.stream("GET", route, follow_redirects=True) as response:
                if not response.is_success:
                    response.read()
                    raise GitHubError(
                        f"GitHub GET {route} answered {response.status_code}: {_message(response)}",
                        hint=_HINTS.get(response.status_code),
                    )
                size = 0
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > max_bytes:
                        raise GitHubError(f"GitHub GET {route}: larger than {max_bytes:,} bytes")
        except httpx.HTTPError as exc:
            raise GitHubError(
                f"GitHub GET {route}: download failed: {type(exc).__name__}"
            ) from None
        return b"".join(chunks)

    def _paginate(self, path: str, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        url: str | None = path
        query: dict[str, str] | None = {**params, "per_page": str(_PAGE_SIZE)}
        for _ in range(_MAX_PAGES):
            if url is None:
                return
            response = self._request("GET", url, params=query)
            page = _decode(response)
            if not isinstance(page, list):
                raise GitHubError(f"GitHub GET {path}: expected a list, got {type(page).__name__}")
            yield from (item for item in page if isinstance(item, dict))
            # The next page's URL carries the query already (RFC 8288 Link header).
            url, query = response.links.get("next", {}).get("url"), None

    def _json(self, method: str, path: str, payload: dict[str, Any] | None) -> dict[str, Any]:
        """Send `payload` (comment and issue text: known secrets redacted) and decode."""
        if payload is not None:
            payload = {k: redact(v) if isinstance(v, str) else v for k, v in payload.items()}
        answer = _decode(self._request(method, path, json=payload))
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
                    f"GitHub {method} {route} answered {response.status_code}: "
                    f"{_message(response)}",
                    hint=_HINTS.get(response.status_code),
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


def _int(value: object, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise GitHubError(f"GitHub {what}: expected a number, got {type(value).__name__}")


def _decode(response: httpx.Response) -> object:
    if response.status_code == httpx.codes.NO_CONTENT or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise GitHubError(
            f"GitHub {response.request.method} {response.request.url.path}: the answer is not JSON"
        ) from None


def _message(response: httpx.Response) -> str:
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
