"""The validate command as a user runs it: exit codes, grouping, JSON, the examples."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import FIXTURE_PROJECT, RunCli


def test_the_fixture_project_validates_clean(run_cli: RunCli) -> None:
    proc = run_cli("validate", "project/", cwd=FIXTURE_PROJECT.parent)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.startswith("ok: 3 campaign(s)")
    report = json.loads(run_cli("validate", "--format", "json", str(FIXTURE_PROJECT)).stdout)
    assert report["ok"] is True
    assert sum(c["leads"] for c in report["campaigns"]) == 59


def test_warnings_alone_exit_0_and_problems_are_grouped_by_file(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "a.yaml").write_text(
        "name: A\nsequence:\n  - {delay_days: 0, subject: Hi, body: '%sender-title%'}\n"
    )
    (tmp_path / "b.yaml").write_text("name: B\nmailboxes: [x@example.com, X@example.com]\n")
    proc = run_cli("validate", str(tmp_path))
    assert proc.returncode == 0, proc.stdout
    groups = proc.stdout.strip().split("\n\n")
    assert "a.yaml:3:" in groups[0] and "warning: unknown sender token" in groups[0]
    assert "b.yaml:2:" in groups[1] and "listed twice" in groups[1]
    assert groups[2] == "ok: 2 campaign(s), 0 lead(s): 0 error(s), 2 warning(s)"


def test_campaign_filter_checks_only_the_named_campaign(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: A\n")
    (tmp_path / "b.yaml").write_text("name: B\nstatus: active\n")
    assert run_cli("validate", str(tmp_path), "--campaign", "A").returncode == 0
    assert run_cli("validate", str(tmp_path), "--campaign", "B").returncode == 1
    typo = run_cli("validate", str(tmp_path), "--campaign", "C")
    assert typo.returncode == 1
    assert "no campaign named 'C'" in typo.stdout


def test_a_missing_campaign_file_is_named_as_a_file(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "welcome.yaml").write_text("name: W\n")
    for args in (("validate",), ("plan", "--emulator")):
        proc = run_cli(*args, "campaigns/nope.yaml", cwd=tmp_path)
        said = proc.stdout + proc.stderr
        assert proc.returncode == 1, said
        assert "campaigns/nope.yaml: error: no such file: campaigns/nope.yaml" in said, said
        assert "give a campaign file that exists, or the project directory as PATH" in said
        assert "directory:" not in said
    typo = run_cli("validate", "campaigns/welcom.yaml", cwd=tmp_path)
    assert "no such file: campaigns/welcom.yaml (did you mean campaigns/welcome.yaml?)" in (
        typo.stdout
    )
    assert sorted(p.name for p in (tmp_path / "campaigns").iterdir()) == ["welcome.yaml"]


def test_an_empty_project_file_says_what_it_needs_at_least(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: A\n")
    project_file = tmp_path / "smartlead-sync.yaml"
    for content in ("", "# settings come later\n\n"):
        project_file.write_text(content)
        proc = run_cli("validate", str(tmp_path))
        assert proc.returncode == 1
        said = proc.stdout.splitlines()[0]
        assert said.startswith(f"{project_file}: error: empty file (give it at least "), said
        assert "`settings: {rate_limit_profile: strict}`" in said and "smartlead-sync init" in said
    project_file.write_text("settings: {rate_limit_profile: strict}\n")  # what the hint says
    assert run_cli("validate", str(tmp_path)).returncode == 0
    (tmp_path / "a.yaml").write_text("# a campaign, some day\n")
    proc = run_cli("validate", str(tmp_path))
    assert "a.yaml: error: empty file (a campaign file needs at least `name:`" in proc.stdout
