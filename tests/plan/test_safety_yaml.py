"""Safety limits written in YAML: the project's in `settings.safety`, a campaign's own in its
file; they reach the plan file, and apply blocks (exit 3) or proceeds by them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartlead_sync.cli import main

Capture = pytest.CaptureFixture[str]

PROJECT = (
    "settings:\n  safety:\n    lead_removals: {max_count: 1}\n    lead_updates: {max_share: 0.9}\n"
)
CAMPAIGN = """\
name: Autumn outreach
status: drafted
sequence:
  - delay_days: 0
    subject: Hello {{first_name}}
    body: <p>Hi</p>
leads:
  prune: true
  sources:
    - inline:
"""


def _write(root: Path, emails: list[str], safety: str = "") -> None:
    rows = "".join(f"        - {{email: {e}, first_name: Pat}}\n" for e in emails)
    (root / "autumn.yaml").write_text(CAMPAIGN + rows + safety)


def _run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    assert isinstance(code, int)
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> Path:
    """Four leads applied to the emulator."""
    root = tmp_path / "campaigns"
    root.mkdir()
    (root / "smartlead-sync.yaml").write_text(PROJECT)
    _write(root, [f"p{i}@example.com" for i in range(4)])
    monkeypatch.chdir(tmp_path)
    assert _run(capsys, "apply", str(root), "--emulator", "--auto-approve")[0] == 0
    return root


def test_the_project_limit_blocks_and_names_itself(project: Path, capsys: Capture) -> None:
    _write(project, ["p0@example.com", "p1@example.com"])  # prune removes 2 of 4
    code, _, err = _run(capsys, "apply", str(project), "--emulator", "--auto-approve")
    assert code == 3
    assert "removing 2 lead(s) from 'Autumn outreach' (prune)" in err
    assert "over the limit of 1 per apply (safety in settings of smartlead-sync.yaml)" in err


def test_a_campaign_limit_overrides_the_project_and_travels_in_the_plan(
    project: Path, capsys: Capture
) -> None:
    _write(
        project,
        ["p0@example.com", "p1@example.com"],
        "safety:\n  lead_removals: {max_count: 2}\n",
    )
    plan_file = project.parent / "plan.json"
    code, _, _ = _run(capsys, "plan", str(project), "--emulator", "--out", str(plan_file))
    assert code == 0
    saved = json.loads(plan_file.read_text())
    assert saved["safety"]["lead_removals"] == {"max_count": 1}
    assert saved["safety"]["lead_updates"] == {"max_share": 0.9, "min_existing": 100}
    (campaign,) = saved["campaigns"]
    assert campaign["safety"] == {"lead_removals": {"max_count": 2}}
    code, _, err = _run(capsys, "apply", str(project), "--emulator", "--plan", str(plan_file))
    assert code == 0, err


def test_limits_out_of_range_are_errors_at_their_line(tmp_path: Path, capsys: Capture) -> None:
    root = tmp_path / "campaigns"
    root.mkdir()
    (root / "smartlead-sync.yaml").write_text(
        "settings:\n  safety:\n    campaign_updates: {max_share: 1.5}\n"
    )
    _write(root, ["p0@example.com"], "safety:\n  lead_removals: {max_count: -1}\n")
    code, out, _ = _run(capsys, "validate", str(root))
    assert code == 1
    assert (
        f"{root}/smartlead-sync.yaml:3:35: error: `settings.safety.campaign_updates.max_share` "
        "must be at most 1.0, not 1.5"
    ) in out
    assert f"{root}/autumn.yaml:13:30: error: `safety.lead_removals.max_count` must be" in out


def test_safety_in_defaults_is_an_error(tmp_path: Path, capsys: Capture) -> None:
    root = tmp_path / "campaigns"
    root.mkdir()
    (root / "smartlead-sync.yaml").write_text(
        "defaults:\n  safety: {lead_removals: {max_count: 5}}\n"
    )
    _write(root, ["p0@example.com"])
    code, out, _ = _run(capsys, "validate", str(root))
    assert code == 1
    assert f"{root}/smartlead-sync.yaml:2:3: error: `safety:` is not allowed in defaults" in out
