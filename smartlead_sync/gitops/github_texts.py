"""Text posted to GitHub: the sticky plan comment, the drift issue and the job summary.

Pure functions of the rendered plan and of where the run can be seen. Every body starts with a
hidden marker so that the next run finds the same comment or issue again, and fits GitHub's
size limit without breaking the markdown around the cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smartlead_sync.render.markdown import MARKER, code

PLAN_MARKER = MARKER  # the hidden first line of every markdown plan
DRIFT_MARKER = "<!-- smartlead-sync:drift -->"
DRIFT_ISSUE_TITLE = "Smartlead drift: live campaigns differ from the repository"
# The drift issue carries this label, so that it is found without reading every open issue.
DRIFT_LABEL = "smartlead-sync-drift"
DRIFT_LABEL_COLOR = "d93f0b"
DRIFT_LABEL_DESCRIPTION = "Live Smartlead campaigns differ from the repository (smartlead-sync)"

# GitHub rejects comment and issue bodies longer than this with 422 "body is too long".
GITHUB_BODY_LIMIT = 65_536
# GitHub shows at most 1 MiB of job summary per step; stay clearly under it.
STEP_SUMMARY_LIMIT = 1_000_000

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_BACKTICK_RUN = re.compile(r"`+")


@dataclass(frozen=True, slots=True)
class RunContext:
    """Where this run can be seen, so a reader of a comment or issue can find the full plan."""

    run_url: str | None = None
    commit: str | None = None

    @property
    def short_commit(self) -> str | None:
        return self.commit[:7] if self.commit else None

    def link(self, text: str = "workflow run") -> str:
        return f"[{text}]({self.run_url})" if self.run_url else text


def fit_body(text: str, limit: int = GITHUB_BODY_LIMIT, *, elsewhere: str = "") -> str:
    """`text` unchanged if it fits in `limit` characters, else cut at a line with a note.

    Open code fences and `<details>` blocks are closed after the cut so that the rest still
    renders; `elsewhere` tells the reader where the full text is.
    """
    if len(text) <= limit:
        return text

    def note(omitted: int) -> str:
        said = f"{omitted:,} characters are not shown (GitHub allows {limit:,} here)."
        return f"\n\n> **Truncated:** {said} {elsewhere}".rstrip() + "\n"

    budget = limit - len(note(len(text))) - 64
    while True:
        head = _head_within(text, budget)
        body = head + _closers(head) + note(len(text) - len(head))
        if len(body) <= limit:
            return body
        budget -= len(body) - limit


def _head_within(text: str, budget: int) -> str:
    kept: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        if size + len(line) > budget:
            break
        kept.append(line)
        size += len(line)
    return "".join(kept)


def _closers(head: str) -> str:
    """Markdown that closes whatever `head` leaves open: a code fence, then `<details>` blocks."""
    fence: str | None = None
    open_details = 0
    for line in head.splitlines():
        match = _FENCE.match(line)
        if fence is None and match is not None:
            fence = match.group(1)
        elif fence is None:
            open_details += line.count("<details") - line.count("</details>")
        elif match is not None and _closes(match.group(1), fence, line):
            fence = None
    closing = f"\n{fence}\n" if fence is not None else ""
    return closing + "\n</details>\n" * max(open_details, 0)


def _closes(mark: str, fence: str, line: str) -> bool:
    """A closing fence uses the opening character, at least as many times, and nothing else."""
    return mark[0] == fence[0] and len(mark) >= len(fence) and line.strip() == mark


def _plan_elsewhere(run: RunContext) -> str:
    link = run.link("this workflow run")
    return f"The full plan is in the job summary and the plan artifact of {link}."


def _without_marker(markdown: str, marker: str) -> str:
    return markdown.replace(marker, "").strip("\n")


def _footer(run: RunContext, what: str) -> str:
    parts = ["smartlead-sync"]
    if run.short_commit:
        parts.append(f"{what} for `{run.short_commit}`")
    if run.run_url:
        parts.append(run.link())
    return "\n\n<sub>" + " · ".join(parts) + "</sub>\n"


def pr_comment_body(
    markdown: str,
    run: RunContext,
    plan_exit_code: int | None = None,
    fingerprint: str | None = None,
) -> str:
    """The sticky pull-request comment for a plan run that ended with `plan_exit_code`.

    0 and 2 (no changes / changes) show the plan; 3 shows it under a "blocked" warning; any
    other code, or an empty plan, replaces the previous plan with a failure notice.
    `fingerprint`: of the saved plan that the apply on merge will run, named in the footer.
    """
    plan = _without_marker(markdown, PLAN_MARKER)
    if plan_exit_code not in (None, 0, 2, 3) or not plan.strip():
        return fit_body(_plan_failed(plan_exit_code, run), elsewhere=_plan_elsewhere(run))
    banner = ""
    if plan_exit_code == 3:
        banner = (
            "> [!WARNING]\n> **Blocked by a safety rule.** After merging, the automatic apply "
            "refuses this plan: once reviewed, run the *smartlead-sync apply* workflow by hand "
            "with *allow destroy* ticked.\n\n"
        )
    footer = _footer(run, "plan") + "<sub>This comment is updated on every push.</sub>\n"
    if fingerprint:
        footer += (
            f"<sub>Merging applies exactly this plan ({code(fingerprint)}); if what it would do "
            "changes before the merge is applied, nothing is applied and the new plan is posted "
            "here for review.</sub>\n"
        )
    head = f"{PLAN_MARKER}\n{banner}{plan}"
    return fit_body(head, GITHUB_BODY_LIMIT - len(footer), elsewhere=_plan_elsewhere(run)) + footer


def _plan_failed(plan_exit_code: int | None, run: RunContext) -> str:
    code = "no exit code" if plan_exit_code is None else f"exit {plan_exit_code}"
    return (
        f"{PLAN_MARKER}\n### smartlead-sync plan failed ({code})\n\n"
        f"No plan could be made for this commit, so there is nothing to review yet. The reason "
        f"is in the log of the {run.link()} (usually an invalid campaign file, with its "
        "`file:line`, or a Smartlead API error). Any plan shown here before is out of date."
        + _footer(run, "plan")
    )


def drift_issue_body(markdown: str, run: RunContext) -> str:
    """The one drift issue: what differs between live Smartlead and the default branch."""
    plan = _without_marker(markdown, PLAN_MARKER)
    intro = (
        f"{DRIFT_MARKER}\nLive Smartlead no longer matches `campaigns/` on the default branch. "
        "Either someone changed a campaign in the Smartlead UI, or a change merged here was "
        "not applied (see the latest *smartlead-sync apply* run).\n\n"
        "- To keep what is live, change the campaign files to match and merge that.\n"
        "- To restore what the repository says, run the *smartlead-sync apply* workflow by "
        "hand: it posts the plan that would do so for review and stops; re-run that run to "
        "apply it.\n\n"
        "This issue is updated by every drift check and closes itself once both agree.\n\n"
    )
    footer = _footer(run, "checked")
    limit = GITHUB_BODY_LIMIT - len(footer)
    return fit_body(intro + plan, limit, elsewhere=_plan_elsewhere(run)) + footer


def drift_resolved_comment(run: RunContext) -> str:
    when = f" at `{run.short_commit}`" if run.short_commit else ""
    return f"Live Smartlead matches the repository again{when} ({run.link()}). Closing."


def duplicate_comment(kept_number: int) -> str:
    return f"Closing as a duplicate of #{kept_number}: smartlead-sync keeps one drift issue."


def step_summary_block(text: str, title: str) -> str:
    """`text` as a fenced block under a heading, for `$GITHUB_STEP_SUMMARY`."""
    longest = max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    block = f"### {title}\n\n{fence}text\n{text.rstrip()}\n{fence}\n\n"
    return fit_body(block, STEP_SUMMARY_LIMIT, elsewhere="The full text is in this step's log.")
