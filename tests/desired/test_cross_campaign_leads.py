"""A lead listed by two campaigns is reported against the first campaign that listed it."""

from __future__ import annotations

from pathlib import Path

from smartlead_sync.desired.checks import check_project
from smartlead_sync.desired.loader import load_project


def _campaign(root: Path, name: str, emails: list[str], policy: str = "skip") -> None:
    leads = "".join(f"        - {{email: {e}}}\n" for e in emails)
    (root / f"{name.lower()}.yaml").write_text(
        f"name: {name}\nleads:\n  upload: {{other_campaign_duplicates: {policy}}}\n"
        f"  sources:\n    - inline:\n{leads}"
    )


def _reported(root: Path) -> list[tuple[str | None, int | None, str]]:
    project, problems = load_project(root, env={}, campaigns=())
    assert problems == []
    found = check_project(project)
    return [(p.file, p.line, p.message) for p in found if p.code == "lead-in-two-campaigns"]


def test_overlaps_after_campaigns_that_share_nothing_are_each_reported(tmp_path: Path) -> None:
    _campaign(tmp_path, "A", ["ann@x.com", "bob@x.com"])
    _campaign(tmp_path, "B", ["cid@x.com"])
    _campaign(tmp_path, "C", ["dan@x.com", "Bob@X.com", "cid@x.com", "ann@x.com"])
    _campaign(tmp_path, "D", ["eve@x.com", "dan@x.com"], policy="allow")
    reported = _reported(tmp_path)
    assert [(file and Path(file).name, line) for file, line, _ in reported] == [
        ("c.yaml", 7),  # Bob@X.com, the first of C's leads also in A
        ("c.yaml", 8),  # cid@x.com, also in B
        ("d.yaml", 7),  # dan@x.com, also in C (which skips)
    ]
    assert "2 lead(s) are also in campaign 'A'" in reported[0][2]
    assert "1 lead(s) are also in campaign 'B'" in reported[1][2]
    assert "1 lead(s) are also in campaign 'C'" in reported[2][2]


def test_campaigns_that_allow_duplicates_on_both_sides_are_not_reported(tmp_path: Path) -> None:
    _campaign(tmp_path, "A", ["ann@x.com"], policy="allow")
    _campaign(tmp_path, "B", ["ann@x.com"], policy="allow")
    assert _reported(tmp_path) == []
