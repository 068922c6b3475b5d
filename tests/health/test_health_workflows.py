"""The guard and A/B workflow scripts, run as GitHub runs them (`bash -eo pipefail`) with
stand-ins for smartlead-sync, gh and git that log their arguments."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.cli_process import REPO_ROOT

WORKFLOWS = REPO_ROOT / "smartlead_sync" / "starter" / "workflows"


def _step(workflow: str, name: str) -> str:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / workflow).read_text())
    steps = [s for job in data["jobs"].values() for s in job["steps"] if s.get("name") == name]
    (step,) = steps
    script: str = step["run"]
    return script


def _stub(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text(f'#!/bin/bash\necho "{name} $*" >> "$LOG"\n{script}\n')
    path.chmod(0o755)


def _run(script: str, cwd: Path, stubs: dict[str, str]) -> tuple[int, str, list[str]]:
    bin_dir = cwd / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in stubs.items():
        _stub(bin_dir, name, body)
    log, output = cwd / "calls.log", cwd / "github_output"
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "LOG": str(log),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(cwd / "summary.md"),
        "BRANCH": "smartlead-sync/ab-promotions",
        "BASE": "main",
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    calls = log.read_text().splitlines() if log.exists() else []
    outputs = output.read_text() if output.exists() else ""
    return proc.returncode, proc.stdout + proc.stderr + outputs, calls


GUARD_JSON = {
    "campaigns": [
        {
            "name": "Spiking",
            "id": 7,
            "tripped": True,
            "guards": [
                {"verdict": "tripped", "action": "pause", "evidence": "bounce_rate 10.00 % > 5 %"}
            ],
        },
        {"name": "Healthy", "id": 8, "tripped": False, "guards": []},
    ]
}


def test_guard_check_step_passes_on_trips_and_fails_on_errors(tmp_path: Path) -> None:
    script = _step("guard.yml", "Check guards and pause what tripped")
    code, out, calls = _run(script, tmp_path, {"smartlead-sync": "exit 2"})
    assert code == 0 and "exit-code=2" in out
    assert calls == [
        "smartlead-sync guard campaigns/ --auto-approve --detailed-exitcode --format markdown "
        "--out guard.json"
    ]
    code, out, _ = _run(script, tmp_path, {"smartlead-sync": "exit 1"})
    assert code == 1 and "::error title=smartlead-sync guard failed::" in out


def test_one_issue_per_tripped_campaign_is_opened_then_updated(tmp_path: Path) -> None:
    (tmp_path / "guard.json").write_text(json.dumps(GUARD_JSON))
    (tmp_path / "guard.md").write_text("### report\n")
    script = _step("guard.yml", "Open or update one issue per tripped campaign")
    no_issue = 'if [ "$2" = list ]; then echo "[]"; fi'
    code, out, calls = _run(script, tmp_path, {"gh": no_issue})
    assert code == 0, out
    assert calls[1:] == [
        "gh issue create --title Guard tripped: Spiking (campaign 7) --body-file issue.md"
    ]
    body = (tmp_path / "issue.md").read_text()
    assert "- bounce_rate 10.00 % > 5 % -> pause" in body and "### report" in body

    open_issue = json.dumps([{"number": 12, "title": "Guard tripped: Spiking (campaign 7)"}])
    (tmp_path / "calls.log").unlink()
    listed = f"if [ \"$2\" = list ]; then echo '{open_issue}'; fi"
    code, out, calls = _run(script, tmp_path, {"gh": listed})
    assert code == 0, out
    assert calls[1:] == ["gh issue edit 12 --body-file issue.md"]


def test_ab_step_opens_one_pull_request_then_updates_it(tmp_path: Path) -> None:
    script = _step("ab.yml", "Open or update the promotions pull request")
    (tmp_path / "ab.md").write_text("### A/B\n")
    code, out, calls = _run(script, tmp_path, {"gh": "", "git": ""})
    assert code == 0, out
    assert "git push --force origin HEAD:refs/heads/smartlead-sync/ab-promotions" in calls
    assert calls[-1] == (
        "gh pr create --head smartlead-sync/ab-promotions --base main "
        "--title Promote A/B test winners --body-file ab.md"
    )
    (tmp_path / "calls.log").unlink()
    code, out, calls = _run(
        script, tmp_path, {"gh": 'if [ "$2" = list ]; then echo 5; fi', "git": ""}
    )
    assert code == 0, out
    assert calls[-1] == "gh pr edit 5 --body-file ab.md"
