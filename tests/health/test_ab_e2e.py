"""A/B promotion end to end on the embedded emulator: a clear winner at 300 sends each is
reported with its statistic and `--write` makes exactly the expected edit, which the next plan
shows; a split that is not significant changes nothing and says how many sends it needs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.health.projects import AB_STEP, embedded, live_campaigns, write_project


def _project(run_cli: RunCli, tmp_path: Path, on_winner: str, replies: tuple[int, int]) -> Path:
    project = write_project(tmp_path, {"Opener": AB_STEP.format(on_winner=on_winner)})
    applied = run_cli("apply", "--emulator", "--auto-approve", cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    with embedded(project) as emulator:
        campaign_id = live_campaigns(emulator)["Opener"][0]
        emulator.simulate_sends(campaign_id, 300, variant_label="A", replies=replies[0])
        emulator.simulate_sends(campaign_id, 300, variant_label="B", replies=replies[1])
        emulator.simulate_sends(campaign_id, 250, seq_number=2, replies=40)  # another step
    return project


def test_a_clear_winner_is_reported_with_its_statistic(run_cli: RunCli, tmp_path: Path) -> None:
    _project(run_cli, tmp_path, "winner_to_100", (9, 36))
    proc = run_cli("ab", "--emulator", "--detailed-exitcode", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Opener, step 1 (campaigns/Opener.yaml): reply_rate, 95 % conf")
    assert lines[1].split()[:6] == ["A", "300", "sent", "9", "replies", "3.00"]
    assert lines[2].split()[:6] == ["B", "300", "sent", "36", "replies", "12.00"]
    assert lines[3].startswith("    B beats A at 98 %  [mSPRT (always valid), normal mixture")
    as_json = json.loads(run_cli("ab", "--emulator", "--format", "json", cwd=tmp_path).stdout)
    assert as_json[0]["winner"] == "B" and as_json[0]["confidence"] == pytest.approx(
        98.04, abs=0.01
    )


def test_write_sets_the_winner_to_100_percent_and_the_next_plan_shows_it(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = _project(run_cli, tmp_path, "winner_to_100", (9, 36))
    before = (project / "Opener.yaml").read_text()
    proc = run_cli("ab", "--emulator", "--write", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    expected = before.replace(
        "      - label: A\n", "      - label: A\n        percentage: 0\n"
    ).replace(
        "      - label: B   # the challenger\n",
        "      - label: B   # the challenger\n        percentage: 100\n",
    )
    assert (project / "Opener.yaml").read_text() == expected
    plan = run_cli("plan", "--emulator", "--detailed-exitcode", cwd=tmp_path)
    assert plan.returncode == 2, plan.stdout + plan.stderr
    assert "+ step 1.variant A.percentage = 0\n" in plan.stdout
    assert "+ step 1.variant B.percentage = 100\n" in plan.stdout
    again = run_cli("ab", "--emulator", "--write", "--detailed-exitcode", cwd=tmp_path)
    assert again.returncode == 0 and "already promoted in the files" in again.stdout
    assert (project / "Opener.yaml").read_text() == expected


def test_write_removes_the_losers_and_the_concluded_test(run_cli: RunCli, tmp_path: Path) -> None:
    project = _project(run_cli, tmp_path, "remove_losers", (36, 9))
    assert run_cli("ab", "--emulator", "--write", cwd=tmp_path).returncode == 0
    assert (project / "Opener.yaml").read_text() == (
        "name: Opener\n"
        "sequence:\n"
        "  # The opener: two subject lines under test.\n"
        "  - delay_days: 0\n"
        "    variants:\n"
        "      - label: A\n"
        "        subject: Quick question\n"
        "        body: <p>Hello there.</p>\n"
        "  - delay_days: 3\n"
        '    subject: ""\n'
        "    body: <p>Bumping this.</p>\n"
    )
    plan = run_cli("plan", "--emulator", cwd=tmp_path)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    removed = [line.strip() for line in plan.stdout.splitlines() if line.strip().startswith("-")]
    assert removed and all("step 1.variant B" in line for line in removed), plan.stdout


def test_a_split_that_is_not_significant_changes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    project = _project(run_cli, tmp_path, "winner_to_100", (15, 21))
    before = (project / "Opener.yaml").read_text()
    proc = run_cli("ab", "--emulator", "--write", "--detailed-exitcode", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    verdict = proc.stdout.splitlines()[3]
    assert verdict.startswith("    not significant yet (B leads A, 0 % confidence so far)")
    assert "need about 2295 more sends per variant" in verdict
    assert (project / "Opener.yaml").read_text() == before


def test_write_shows_a_file_name_with_control_characters_escaped(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = _project(run_cli, tmp_path, "winner_to_100", (9, 36))
    hostile = project / "Open\x1b[2Jer.yaml"
    (project / "Opener.yaml").rename(hostile)
    proc = run_cli("ab", "--emulator", "--write", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr
    assert "campaigns/Open\\x1b[2Jer.yaml: step 1: B promoted\n" in proc.stderr
    assert "-> written to campaigns/Open\\x1b[2Jer.yaml (winner_to_100)\n" in proc.stdout
    assert "percentage: 100" in hostile.read_text()
