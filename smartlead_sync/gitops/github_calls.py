"""The few GitHub REST API calls smartlead-sync makes: comments and issues of one repository, the
pull request that merged a commit, and the plan artifacts of workflow runs. How a request is
sent, waited out under rate limits and refused is in github_api.py.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx

from smartlead_sync.gitops.decisions import Comment, Issue
from smartlead_sync.gitops.github_api import (
    HINTS,
    GitHubApi,
    GitHubError,
    as_int,
    decode,
    message,
)
from smartlead_sync.gitops.github_backoff import RetryPolicy

_SHA = re.compile(r"^[0-9a-f]{40}$")


class GitHubRepository(GitHubApi):
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
        super().__init__(http, policy=policy, sleep=sleep, clock=clock)
        self._base = f"/repos/{repository}"

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
        answer = decode(self._request("GET", path, params=params))
        runs = answer.get("workflow_runs") if isinstance(answer, dict) else None
        if not runs or not isinstance(runs[0], dict):
            return None
        sha = str(runs[0].get("head_sha") or "")
        return sha if _SHA.match(sha) else None

    def repository_id(self) -> int:
        """The repository's numeric id (artifacts name the repository of their run by id)."""
        answer = self._json("GET", self._base, None)
        return as_int(answer.get("id"), f"GET {self._base}: id")

    def pulls_of_commit(self, sha: str) -> list[dict[str, Any]]:
        """The pull requests GitHub associates with a commit: on the default branch, the merged
        one that introduced it (raw objects; `gitops.reviewed` reads them)."""
        return list(self._paginate(f"{self._base}/commits/{sha}/pulls", {}))

    def artifacts_named(self, name: str) -> list[dict[str, Any]]:
        """Every artifact of the repository's workflow runs with exactly this name (raw)."""
        path = f"{self._base}/actions/artifacts"
        answer = decode(self._request("GET", path, params={"name": name, "per_page": "100"}))
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
                        f"GitHub GET {route} answered {response.status_code}: {message(response)}",
                        hint=HINTS.get(response.status_code),
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
