"""The texts posted to GitHub: markers, size cap, markdown that survives a cut, no secrets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smartlead_sync.gitops.github_texts import (
    DRIFT_MARKER,
    GITHUB_BODY_LIMIT,
    PLAN_MARKER,
    RunContext,
    drift_issue_body,
    drift_resolved_comment,
    fit_body,
    pr_comment_body,
    step_summary_block,
)

FIXTURES = Path(__file__).parent / "fixtures"
RUN = RunContext(
    "https://github.com/acme/campaigns/actions/runs/42", "0123456789abcdef" * 2 + "01234567"
)


def realistic_plan_markdown() -> str:
    return (FIXTURES / "plan-with-leads.md").read_text()


def huge_plan_markdown(campaigns: int = 400) -> str:
    """A plan far over GitHub's limit, made of the collapsible sections a real plan has."""
    section = (
        "<details>\n<summary><b>~ Campaign {n}</b> (update)</summary>\n\n"
        "```diff\n- Quick follow-up, {{{{first_name}}}}\n"
        "+ Still relevant for {{{{company_name}}}}?\n"
        + "+ line of body text that makes the section long enough to matter\n" * 5
        + "```\n\n- leads: +40 (e.g. `j***@acme{n}.example`)\n\n</details>\n\n"
    )
    return PLAN_MARKER + "\n## plan\n\n" + "".join(section.format(n=n) for n in range(campaigns))


def _fence_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^\s{0,3}(```|~~~)", line)]


def test_comment_starts_with_the_marker_once_and_keeps_the_plan() -> None:
    plan = realistic_plan_markdown()
    body = pr_comment_body(plan, RUN, plan_exit_code=2)
    assert body.startswith(PLAN_MARKER + "\n")
    assert body.count(PLAN_MARKER) == 1
    assert "| Q3 Founders Outreach | 4012 | + create | +250 | drafted → active |" in body
    assert "`0123456`" in body
    assert "(https://github.com/acme/campaigns/actions/runs/42)" in body


def test_comment_adds_the_marker_when_the_plan_lacks_it() -> None:
    body = pr_comment_body("## smartlead-sync plan: no changes\n", RUN, plan_exit_code=0)
    assert body.startswith(PLAN_MARKER)
    assert "no changes" in body


def test_comment_for_a_huge_plan_fits_and_still_renders() -> None:
    plan = huge_plan_markdown()
    assert len(plan) > 3 * GITHUB_BODY_LIMIT
    body = pr_comment_body(plan, RUN, plan_exit_code=2)
    assert len(body) <= GITHUB_BODY_LIMIT
    assert body.startswith(PLAN_MARKER)
    assert "**Truncated:**" in body
    assert "job summary and the plan artifact" in body
    assert len(_fence_lines(body)) % 2 == 0
    assert body.count("<details") == body.count("</details>")
    assert body.rstrip().endswith("</sub>")  # the footer survives the cut


def test_a_cut_inside_a_code_fence_closes_the_fence() -> None:
    text = "intro\n````diff\n" + "- old line\n+ new line\n" * 50 + "````\nafter\n"
    cut = fit_body(text, 400)
    assert len(cut) <= 400
    assert _fence_lines(cut) == ["````diff", "````"]


def test_a_text_that_fits_is_left_alone() -> None:
    text = realistic_plan_markdown()
    assert fit_body(text) == text


def test_a_blocked_plan_is_shown_under_a_warning() -> None:
    body = pr_comment_body(realistic_plan_markdown(), RUN, plan_exit_code=3)
    assert "Blocked by a safety rule" in body
    assert "Q3 Founders Outreach" in body


@pytest.mark.parametrize("code", [1, 4, None])
def test_a_failed_plan_replaces_the_old_plan_with_a_notice(code: int | None) -> None:
    body = pr_comment_body("", RUN, plan_exit_code=code)
    assert body.startswith(PLAN_MARKER)
    assert "plan failed" in body
    assert "out of date" in body


def test_a_failed_plan_does_not_show_partial_output() -> None:
    body = pr_comment_body(realistic_plan_markdown(), RUN, plan_exit_code=1)
    assert "Q3 Founders Outreach" not in body


def test_drift_issue_body_has_its_own_marker_and_the_plan() -> None:
    body = drift_issue_body(realistic_plan_markdown(), RUN)
    assert body.startswith(DRIFT_MARKER + "\n")
    assert PLAN_MARKER not in body
    assert "Re-engage cold 2024" in body
    assert "re-run that run to apply it" in body


def test_drift_issue_body_for_a_huge_plan_fits() -> None:
    body = drift_issue_body(huge_plan_markdown(), RUN)
    assert len(body) <= GITHUB_BODY_LIMIT
    assert body.startswith(DRIFT_MARKER)


def test_resolved_comment_names_the_commit_and_the_run() -> None:
    text = drift_resolved_comment(RUN)
    assert "`0123456`" in text
    assert "actions/runs/42" in text


def test_step_summary_fence_outlasts_backticks_in_the_text() -> None:
    block = step_summary_block("~ subject: ```odd``` and ``more``\n", "smartlead-sync plan")
    assert block.startswith("### smartlead-sync plan\n\n````text\n")
    assert block.rstrip().endswith("````")
