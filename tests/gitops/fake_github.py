"""A small in-memory GitHub: one repository's issues, pull requests, comments, workflow runs and
artifacts over REST.

It answers like the documented GitHub REST API for the routes smartlead-sync uses (bearer token,
Link-header pagination, pull requests listed among issues, issues filtered by label, labels,
422 for a body over 65,536 characters, rate limits with their headers, the pull requests of a
commit, artifacts by name with their run's head commit and repository, and artifact zips served
by a redirect to signed storage on another host, which refuses requests that carry the token)
and serves either through `httpx.MockTransport` or over loopback HTTP for tests that run the
real CLI process.
"""

from __future__ import annotations

import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

import httpx

BODY_LIMIT = 65_536
_ROUTE = re.compile(r"^/repos/(?P<repo>[^/]+/[^/]+)(?P<rest>/.*)?$")


def _answer(
    status: int, payload: object = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    if payload is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=payload, headers=headers)


@dataclass
class FakeGitHub:
    repository: str = "acme/campaigns"
    token: str = "ghs_FAKE-TOKEN-0123456789"
    max_page_size: int = 100
    fail_writes_with: int | None = None  # answer every write with this status
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)  # workflow runs, oldest first
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    # answers given instead of the next requests' own, in order (see `rate_limit_next`)
    limited: list[httpx.Response] = field(default_factory=list)
    repository_id: int = 700_001
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)  # pull request objects
    artifacts: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    blobs: dict[int, bytes] = field(default_factory=dict)  # artifact id -> zip
    _next_artifact_id: int = 81_000_001
    requests: list[str] = field(default_factory=list)  # "METHOD /path" in order
    _next_number: int = 1
    _next_comment_id: int = 9_000_000_001

    # -- seeding -------------------------------------------------------------------------------
    def add_issue(
        self, title: str, body: str, *, state: str = "open", labels: tuple[str, ...] = ()
    ) -> int:
        number = self._take_number()
        self.issues[number] = {
            "number": number,
            "title": title,
            "body": body,
            "state": state,
            "state_reason": None,
            "labels": [self._label(name) for name in labels],
            "html_url": f"https://github.com/{self.repository}/issues/{number}",
        }
        return number

    def rate_limit_next(
        self, status: int, headers: dict[str, str], message: str, *, times: int = 1
    ) -> None:
        """Refuse the next `times` requests as GitHub does when a limit is reached."""
        doc = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
        payload = {"message": message, "documentation_url": doc}
        self.limited += [_answer(status, payload, headers) for _ in range(times)]

    def add_pull_request(self) -> int:
        number = self.add_issue("Change campaigns", "")
        self.issues[number]["pull_request"] = {"url": f"/pulls/{number}"}
        self.issues[number]["html_url"] = f"https://github.com/{self.repository}/pull/{number}"
        return number

    def add_comment(self, issue_number: int, body: str) -> int:
        comment_id = self._next_comment_id
        self._next_comment_id += 1
        self.comments[comment_id] = {
            "id": comment_id,
            "issue_number": issue_number,
            "body": body,
            "html_url": f"https://github.com/{self.repository}/issues/{issue_number}#c{comment_id}",
        }
        return comment_id

    def add_run(self, workflow: str, branch: str, conclusion: str, head_sha: str) -> None:
        self.runs.append(
            {"path": f".github/workflows/{workflow}", "head_branch": branch,
             "status": "completed", "conclusion": conclusion, "head_sha": head_sha}
        )  # fmt: skip

    def merge_pull_request(self, number: int, head_sha: str, merge_sha: str) -> None:
        """Pull request `number` merged: its head was `head_sha`, the merge made `merge_sha`."""
        self.pulls[number] = {
            "number": number,
            "state": "closed",
            "merged_at": "2026-11-29T07:00:00Z",
            "merge_commit_sha": merge_sha,
            "head": {"sha": head_sha, "ref": "change-campaigns"},
            "base": {"ref": "main"},
            "html_url": self.issues[number]["html_url"],
        }

    def add_artifact(
        self,
        name: str,
        head_sha: str,
        files: dict[str, str],
        *,
        run_repository_id: int | None = None,
        expired: bool = False,
    ) -> int:
        """An artifact made by a workflow run for `head_sha`, holding `files` zipped."""
        artifact_id = self._next_artifact_id
        self._next_artifact_id += 1
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, text in files.items():
                archive.writestr(member, text)
        self.blobs[artifact_id] = buffer.getvalue()
        repository_id = run_repository_id or self.repository_id
        self.artifacts.append(
            {"id": artifact_id, "name": name, "size_in_bytes": len(self.blobs[artifact_id]),
             "expired": expired, "created_at": f"2026-11-29T06:{len(self.artifacts):02d}:00Z",
             "expires_at": "2027-02-27T06:00:00Z",
             "workflow_run": {"id": 5_000_000 + artifact_id, "repository_id": self.repository_id,
                              "head_repository_id": repository_id, "head_branch": "main",
                              "head_sha": head_sha}}
        )  # fmt: skip
        return artifact_id

    def comments_on(self, issue_number: int) -> list[dict[str, Any]]:
        return [c for c in self.comments.values() if c["issue_number"] == issue_number]

    def open_issues(self) -> list[dict[str, Any]]:
        return [i for i in self.issues.values() if i["state"] == "open" and "pull_request" not in i]

    def _label(self, name: str) -> dict[str, Any]:
        """The label, created as GitHub does when an issue names one that does not exist."""
        return self.labels.setdefault(name, {"name": name, "color": "ededed", "description": None})

    def _take_number(self) -> int:
        number = self._next_number
        self._next_number += 1
        return number

    # -- serving -------------------------------------------------------------------------------
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        if request.url.path.startswith("/_blobs/"):
            return self._blob(request)
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return _answer(401, {"message": "Bad credentials"})
        route = _ROUTE.match(request.url.path)
        if route is None or route["repo"] != self.repository:
            return _answer(404, {"message": "Not Found"})
        payload = json.loads(request.content) if request.content else {}
        if self.limited:
            return self.limited.pop(0)
        if request.method != "GET" and self.fail_writes_with is not None:
            return _answer(
                self.fail_writes_with, {"message": "Resource not accessible by integration"}
            )
        if len(str(payload.get("body") or "")) > BODY_LIMIT:
            error = {"resource": "IssueComment", "code": "custom", "field": "body"}
            error["message"] = f"body is too long (maximum is {BODY_LIMIT} characters)"
            return _answer(422, {"message": "Validation Failed", "errors": [error]})
        return self._route(request, route["rest"] or "", payload)

    def _route(self, request: httpx.Request, rest: str, payload: dict[str, Any]) -> httpx.Response:
        method = request.method
        if match := re.fullmatch(r"/actions/workflows/([^/]+)/runs", rest):
            return self._runs(request, match[1])
        if rest == "" and method == "GET":
            return _answer(200, {"id": self.repository_id, "full_name": self.repository})
        if match := re.fullmatch(r"/commits/([0-9a-f]{40})/pulls", rest):
            found = [p for p in self.pulls.values() if p["merge_commit_sha"] == match[1]]
            return self._page(request, found)
        if rest == "/actions/artifacts" and method == "GET":
            return self._artifacts(request)
        if match := re.fullmatch(r"/actions/artifacts/(\d+)/zip", rest):
            return self._artifact_zip(request, int(match[1]))
        if rest == "/issues" and method == "GET":
            return self._page(request, self._issues(request))
        if rest == "/issues" and method == "POST":
            labels = tuple(payload.get("labels") or ())
            number = self.add_issue(payload["title"], payload.get("body") or "", labels=labels)
            return _answer(201, self.issues[number])
        if rest.startswith("/labels"):
            return self._labels(method, rest, payload)
        if match := re.fullmatch(r"/issues/(\d+)/comments", rest):
            number = int(match[1])
            if number not in self.issues:
                return _answer(404, {"message": "Not Found"})
            if method == "GET":
                return self._page(request, sorted(self.comments_on(number), key=lambda c: c["id"]))
            return _answer(201, self.comments[self.add_comment(number, payload["body"])])
        if match := re.fullmatch(r"/issues/comments/(\d+)", rest):
            comment = self.comments.get(int(match[1]))
            if comment is None:
                return _answer(404, {"message": "Not Found"})
            if method == "DELETE":
                del self.comments[comment["id"]]
                return _answer(204)
            comment["body"] = payload["body"]
            return _answer(200, comment)
        if (match := re.fullmatch(r"/issues/(\d+)", rest)) and method == "PATCH":
            issue = self.issues.get(int(match[1]))
            if issue is None:
                return _answer(404, {"message": "Not Found"})
            issue.update(
                {k: payload[k] for k in ("title", "body", "state", "state_reason") if k in payload}
            )
            return _answer(200, issue)
        return _answer(404, {"message": "Not Found"})

    def _issues(self, request: httpx.Request) -> list[dict[str, Any]]:
        """Issues in `state` (default open) carrying every label of `labels` (comma-separated)."""
        state = request.url.params.get("state", "open")
        wanted = {n for n in request.url.params.get("labels", "").split(",") if n}
        items = [
            i
            for i in self.issues.values()
            if (state == "all" or i["state"] == state)
            and wanted <= {label["name"] for label in i["labels"]}
        ]
        return sorted(items, key=lambda i: i["number"])

    def _labels(self, method: str, rest: str, payload: dict[str, Any]) -> httpx.Response:
        if rest == "/labels" and method == "POST":
            if payload["name"] in self.labels:
                error = {"resource": "Label", "code": "already_exists", "field": "name"}
                return _answer(422, {"message": "Validation Failed", "errors": [error]})
            self.labels[payload["name"]] = {
                k: payload.get(k) for k in ("name", "color", "description")
            }
            return _answer(201, self.labels[payload["name"]])
        name = rest.removeprefix("/labels/")
        if method == "GET" and name in self.labels:
            return _answer(200, self.labels[name])
        return _answer(404, {"message": "Not Found"})

    def _runs(self, request: httpx.Request, workflow: str) -> httpx.Response:
        """Newest first, filtered like GitHub: `status` may name a conclusion such as success."""
        params = request.url.params
        runs = [
            r
            for r in reversed(self.runs)
            if r["path"] == f".github/workflows/{workflow}"
            and params.get("branch", r["head_branch"]) == r["head_branch"]
            and params.get("status", r["conclusion"]) in (r["status"], r["conclusion"])
        ]
        per_page = int(params.get("per_page", "30"))
        return _answer(200, {"total_count": len(runs), "workflow_runs": runs[:per_page]})

    def _artifacts(self, request: httpx.Request) -> httpx.Response:
        """Newest first, optionally filtered by exact name, like GitHub."""
        name = request.url.params.get("name")
        found = [a for a in reversed(self.artifacts) if name is None or a["name"] == name]
        per_page = int(request.url.params.get("per_page", "30"))
        return _answer(200, {"total_count": len(found), "artifacts": found[:per_page]})

    def _artifact_zip(self, request: httpx.Request, artifact_id: int) -> httpx.Response:
        """A redirect to signed storage on another host (localhost for 127.0.0.1)."""
        known = next((a for a in self.artifacts if a["id"] == artifact_id), None)
        if known is None:
            return _answer(404, {"message": "Not Found"})
        if known["expired"]:
            return _answer(410, {"message": "Artifact has expired"})
        host = "localhost" if request.url.host == "127.0.0.1" else "blobs.example"
        signed = request.url.copy_with(
            host=host, path=f"/_blobs/{artifact_id}", query=b"sig=SIGNED-URL-SECRET"
        )
        return _answer(302, headers={"Location": str(signed)})

    def _blob(self, request: httpx.Request) -> httpx.Response:
        if "authorization" in request.headers:
            return _answer(400, {"message": "the GitHub token was sent to storage"})
        data = self.blobs.get(int(request.url.path.rsplit("/", 1)[1]))
        if data is None or request.url.params.get("sig") != "SIGNED-URL-SECRET":
            return _answer(403, {"message": "AuthenticationFailed"})
        return httpx.Response(200, content=data, headers={"Content-Type": "application/zip"})

    def _page(self, request: httpx.Request, items: list[dict[str, Any]]) -> httpx.Response:
        per_page = min(int(request.url.params.get("per_page", "30")), self.max_page_size)
        page = int(request.url.params.get("page", "1"))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            following = request.url.copy_merge_params({"page": str(page + 1)})
            headers["Link"] = f'<{following}>; rel="next"'
        return _answer(200, chunk, headers)


@contextmanager
def served_over_http(fake: FakeGitHub) -> Iterator[str]:
    """Serve `fake` on a loopback port for the duration; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            host, port = cast("tuple[Any, ...]", self.server.server_address)[:2]
            request = httpx.Request(
                self.command,
                f"http://{host!s}:{port}{self.path}",
                headers=dict(self.headers.items()),
                content=self.rfile.read(length),
            )
            response = fake.handle(request)
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        do_GET = do_POST = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
