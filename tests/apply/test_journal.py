from __future__ import annotations

import json
import threading
from pathlib import Path

from smartlead_sync.apply.journal import (
    Journal,
    JournalEvent,
    find_unfinished_run,
    read_journal,
)


def test_entries_are_appended_as_json_lines_and_survive_reopen(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "journal.jsonl"
    first = Journal.open(path, run_id="run1")
    first.record(JournalEvent.RUN_STARTED, campaigns=2)
    first.record(JournalEvent.STEP_DONE, campaign="Q3", summary="create campaign", created_id=7)
    first.close()
    second = Journal.open(path, run_id="run2")
    second.record(JournalEvent.RUN_STARTED, campaigns=1)
    second.close()

    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["run"] for line in lines] == ["run1", "run1", "run2"]
    assert json.loads(lines[1])["created_id"] == 7
    assert all(json.loads(line)["v"] == 1 for line in lines)


def test_none_fields_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal.open(path)
    journal.record(JournalEvent.STEP_FAILED, campaign="Q3", error=None, summary="x")
    journal.close()
    assert "error" not in json.loads(path.read_text(encoding="utf-8"))


def test_concurrent_writers_never_interleave_lines(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path.open("a", encoding="utf-8"), durable=False)

    def write(n: int) -> None:
        for i in range(200):
            journal.record(JournalEvent.STEP_DONE, campaign=f"c{n}", summary="s" * 300, i=i)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    journal.close()
    assert len(list(read_journal(path))) == 800


def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal.open(path, run_id="r")
    journal.record(JournalEvent.RUN_STARTED)
    journal.close()
    with path.open("a", encoding="utf-8") as stream:
        stream.write('{"v":1,"run":"r","event":"step_do')
    assert [e.event for e in read_journal(path)] == [JournalEvent.RUN_STARTED]


def test_an_unfinished_run_is_found_with_its_last_completed_step(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    done = Journal.open(path, run_id="done")
    done.record(JournalEvent.RUN_STARTED)
    done.record(JournalEvent.RUN_FINISHED, exit_code=0)
    done.close()
    assert find_unfinished_run(path) is None

    killed = Journal.open(path, run_id="killed")
    killed.record(JournalEvent.RUN_STARTED)
    killed.record(JournalEvent.STEP_DONE, campaign="Q3", summary="save sequence")
    killed.record(JournalEvent.STEP_STARTED, campaign="Q3", summary="attach mailboxes")
    killed.close()
    unfinished = find_unfinished_run(path)
    assert unfinished is not None
    assert (unfinished.run, unfinished.steps_done) == ("killed", 1)
    assert unfinished.last_step == "Q3: save sequence"


def test_missing_journal_has_no_unfinished_run(tmp_path: Path) -> None:
    assert find_unfinished_run(tmp_path / "absent.jsonl") is None


def test_disabled_journal_writes_nothing(tmp_path: Path) -> None:
    journal = Journal.disabled()
    journal.record(JournalEvent.RUN_STARTED)
    journal.close()
    assert list(tmp_path.iterdir()) == []
