"""What a new user meets first: wrong paths, wrong flags, unwritable outputs, bad plan files.

Each test is named after the mistake. All run in-process through `main` (exit code, stdout,
stderr as a terminal would show them); none needs the network.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smartlead_sync.cli import main
from tests.conftest import REPO_ROOT

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    code = exit_info.value.code
    assert isinstance(code, int)
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the examples, with the working directory beside it (for `--emulator`)."""
    shutil.copytree(REPO_ROOT / "campaigns", tmp_path / "campaigns")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "campaigns"


def test_plan_of_invalid_files_shows_each_problem_without_a_second_error_prefix(
    project: Path, capsys: Capture
) -> None:
    (project / "q3-cold-outreach.yaml").write_text("name: Q3\nstatuss: active\n")
    code, _, err = run(capsys, "plan", str(project), "--emulator")
    assert code == 1
    lines = err.splitlines()
    assert any(line.startswith(f"{project}/q3-cold-outreach.yaml:2:1: error: ") for line in lines)
    assert not [line for line in lines if line.startswith("error:") and ": error: " in line]
    assert not (project.parent / ".smartlead-emulator").exists()  # nothing was read
