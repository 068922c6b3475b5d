"""Choosing the reviewed plan's artifact and reading it: pure rules, no network."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from smartlead_sync.errors import ConfigError
from smartlead_sync.gitops.reviewed import (
    MAX_PLAN_BYTES,
    choose_artifact,
    merged_pull_request,
    plan_text_from_zip,
)

HEAD = "a1" * 20
MERGE = "b2" * 20
REPO_ID = 700_001
NAME = "smartlead-sync-plan-" + HEAD


def _artifact(artifact_id: int, created: str, **run: Any) -> dict[str, Any]:
    workflow_run: dict[str, Any] = {
        "id": 1,
        "repository_id": REPO_ID,
        "head_repository_id": REPO_ID,
    }
    workflow_run |= {"head_sha": HEAD, **run}
    return {"id": artifact_id, "name": NAME, "expired": False, "created_at": created,
            "workflow_run": workflow_run}  # fmt: skip


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_merged_pull_request_is_the_one_whose_merge_made_the_commit() -> None:
    pulls: list[dict[str, Any]] = [
        {"number": 3, "merged_at": None, "merge_commit_sha": MERGE, "head": {"sha": HEAD}},
        {"number": 4, "merged_at": "2026-11-29", "merge_commit_sha": "c" * 40,
         "head": {"sha": HEAD}},
        {"number": 5, "merged_at": "2026-11-29", "merge_commit_sha": MERGE,
         "head": {"sha": HEAD}, "html_url": "https://github.com/acme/campaigns/pull/5"},
    ]  # fmt: skip
    found = merged_pull_request(pulls, MERGE)
    assert found is not None
    assert (found.number, found.head_sha) == (5, HEAD)
    assert merged_pull_request(pulls[:2], MERGE) is None


def test_the_newest_artifact_made_for_the_commit_in_this_repository_wins() -> None:
    found = [
        _artifact(10, "2026-11-29T06:00:00Z"),
        _artifact(12, "2026-11-29T07:00:00Z"),
        _artifact(11, "2026-11-29T06:30:00Z"),
    ]
    choice = choose_artifact(found, NAME, HEAD, REPO_ID)
    assert choice.artifact is not None
    assert choice.artifact.id == 12
    assert choice.refused == ()


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        (_artifact(20, "t", head_sha=MERGE), "was made by a run for commit b2b2b2b2b2b2"),
        (_artifact(21, "t", head_repository_id=9), "another repository (a fork)"),
        ({**_artifact(22, "t"), "expired": True}, "expired"),
        ({**_artifact(23, "t"), "workflow_run": None}, "does not say which workflow run"),
    ],
)
def test_an_artifact_not_made_for_the_commit_here_is_refused_with_the_reason(
    raw: dict[str, Any], said: str
) -> None:
    choice = choose_artifact([raw], NAME, HEAD, REPO_ID)
    assert choice.artifact is None
    (reason,) = choice.refused
    assert said in reason


def test_an_artifact_of_another_name_is_ignored() -> None:
    other = {**_artifact(30, "t"), "name": "smartlead-sync-plan-" + MERGE}
    assert choose_artifact([other], NAME, HEAD, REPO_ID).artifact is None


def test_the_plan_file_is_read_from_the_zip() -> None:
    data = _zip({"plan.md": b"# plan", "plan.json": b'{"format_version": 1}'})
    assert plan_text_from_zip(data, NAME) == '{"format_version": 1}'


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"not a zip", "is not a readable zip"),
        (_zip({"plan.md": b"x"}), "holds no plan.json"),
        (_zip({"sub/plan.json": b"{}"}), "holds no plan.json"),
        (_zip({"plan.json": b"\xff\xfe"}), "is not UTF-8 text"),
        (_zip({"plan.json": b" " * (MAX_PLAN_BYTES + 1)}), "larger than expected"),
    ],
)
def test_an_unusable_artifact_is_a_clear_error(data: bytes, said: str) -> None:
    with pytest.raises(ConfigError, match=said):
        plan_text_from_zip(data, NAME)
