"""Hostile or broken local input gets a clear message and exit 1, never "internal error":
deep nesting, long `extends:` chains, unbounded numbers, malformed URLs, odd encodings,
output files that cannot be written, and a journal that is not a file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

import pytest

from smartlead_sync.apply.journal import Journal, JournalEvent, find_unfinished_run, read_journal
from smartlead_sync.desired import load_desired, load_project
from tests.security.campaigns import campaign
from tests.security.harness import Workspace

DEEP = 200_000


def _no_crash(*texts: str) -> None:
    for text in texts:
        assert "internal error" not in text and "Traceback" not in text


def test_an_extends_chain_of_1500_templates_is_a_clear_error(ws: Workspace) -> None:
    for i in range(1500):
        ws.write(f"templates/t{i}.yaml", f"extends: templates/t{i + 1}.yaml\n")
    ws.write("templates/t1500.yaml", "status: drafted\n")
    ws.write("a.yaml", "name: A\nextends: templates/t0.yaml\n")
    code, out, err = ws.run("validate", "campaigns")
    assert code == 1
    assert "`extends:` chain deeper than" in out
    _no_crash(out, err)


def test_a_200k_deep_campaign_file_is_a_located_error(ws: Workspace) -> None:
    ws.write("deep.yaml", "name: " + "[" * DEEP + "]" * DEEP + "\n")
    code, out, err = ws.run("validate", "campaigns")
    assert code == 1
    assert "deep.yaml:1:" in out
    _no_crash(out, err)


def test_a_200k_deep_plan_file_is_not_a_plan(ws: Workspace) -> None:
    ws.write("a.yaml", campaign())
    (ws.root / "plan.json").write_text("[" * DEEP + "]" * DEEP)
    code, out, err = ws.run("apply", "campaigns", "--emulator", "--plan", "plan.json")
    assert code == 1
    assert "plan.json: not a plan file: JSON nested too deeply" in err
    _no_crash(out, err)


@pytest.mark.parametrize("seconds", [".inf", "1e308", ".nan"])
def test_unbounded_rate_limits_are_rejected_by_validate(ws: Workspace, seconds: str) -> None:
    ws.write(
        "smartlead-sync.yaml",
        f"settings:\n  rate_limits:\n    global:\n      - {{limit: 10, seconds: {seconds}}}\n",
    )
    ws.write("a.yaml", campaign())
    code, out, err = ws.run("validate", "campaigns")
    assert code == 1
    assert "smartlead-sync.yaml:4:" in out
    _no_crash(out, err)


@pytest.mark.parametrize("url", ["http://[::1/api", "http://[::1]:99999/api", "https:///api"])
def test_a_malformed_base_url_is_a_usage_error(ws: Workspace, url: str) -> None:
    ws.write("a.yaml", campaign())
    ws.monkeypatch.setenv("SMARTLEAD_BASE_URL", url)
    code, out, err = ws.run("plan", "campaigns")
    assert code == 1
    assert "is not a valid URL" in err
    _no_crash(out, err)


def test_an_explicit_str_tag_is_text(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: !!str 5\nclient_id: 7\n")
    (only,) = load_desired(tmp_path, env={}).campaigns
    assert only.state.name == "5"


@pytest.mark.parametrize(("line", "field"), [("client_id: -1", "client_id"), ("id: 0", "id")])
def test_ids_must_be_positive(tmp_path: Path, line: str, field: str) -> None:
    (tmp_path / "a.yaml").write_text(f"name: A\n{line}\n")
    _, problems = load_project(tmp_path, env={})
    assert [(p.line, field in p.message) for p in problems] == [(2, True)]


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        (b"name: A\nstatus: drafted\x00\n", "u.yaml:2", "control character (U+0000)"),
        ("name: A\nstatus: drafted\n".encode("utf-16-le"), "u.yaml:1", "UTF-16"),
        ("name: A\n".encode("utf-16-be"), "u.yaml:1", "UTF-16"),
    ],
)
def test_nul_bytes_and_utf16_name_the_line(
    ws: Workspace, data: bytes, where: str, words: str
) -> None:
    (ws.project / "u.yaml").write_bytes(data)
    code, out, err = ws.run("validate", "campaigns")
    assert code == 1
    (line,) = [x for x in out.splitlines() if "u.yaml" in x]
    assert f"campaigns/{where}" in line and words in line
    _no_crash(out, err)


def test_one_bad_project_setting_does_not_drop_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "smartlead-sync.yaml").write_text(
        "settings:\n  lead_batch_size: 0\ndefaults:\n  status: drafted\n  client_id: 7\n"
    )
    (tmp_path / "a.yaml").write_text("name: A\n")
    (tmp_path / "b.yaml").write_text("name: B\n")
    project, problems = load_project(tmp_path, env={})
    assert [(Path(cast(str, p.file)).name, p.line) for p in problems] == [
        ("smartlead-sync.yaml", 2)
    ]
    assert {c.state.client_id for c in project.campaigns} == {7}


@pytest.mark.parametrize("flag", ["--out", "--log-http"])
def test_a_plan_output_file_that_cannot_be_written_is_named(ws: Workspace, flag: str) -> None:
    ws.write("a.yaml", campaign())
    code, out, err = ws.run("plan", "campaigns", "--emulator", flag, "/dev/full")
    assert code == 1
    assert "/dev/full: No space left on device" in err
    _no_crash(out, err)


@pytest.mark.parametrize("flag", ["--journal", "--report"])
def test_an_apply_output_file_that_cannot_be_written_is_named(ws: Workspace, flag: str) -> None:
    ws.write("a.yaml", campaign())
    code, out, err = ws.run("apply", "campaigns", "--emulator", "--auto-approve", flag, "/dev/full")
    assert code == 1
    assert "/dev/full: No space left on device" in err
    _no_crash(out, err)


def test_a_journal_that_is_not_a_file_is_never_read(tmp_path: Path) -> None:
    fifo = tmp_path / "journal.fifo"
    os.mkfifo(fifo)  # reading it would block forever
    assert list(read_journal(fifo)) == []
    assert list(read_journal(Path("/dev/zero"))) == []  # reading it would never end


def test_the_journal_is_read_from_its_tail_only(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    first = Journal.open(path, run_id="old")
    first.record(JournalEvent.RUN_STARTED)
    for _ in range(200):
        first.record(JournalEvent.STEP_DONE, campaign="A", summary="x" * 100)
    first.close()
    latest = Journal.open(path, run_id="new")
    latest.record(JournalEvent.RUN_STARTED)
    latest.close()
    entries = list(read_journal(path, tail_bytes=4096))
    assert 0 < len(entries) < 40
    assert entries[-1].run == "new"
    unfinished = find_unfinished_run(path)
    assert unfinished is not None and unfinished.run == "new"
