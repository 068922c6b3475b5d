"""Text the apply on merge posts on the merged pull request (and in the job summary).

One sticky comment per pull request, marked by `APPLY_MARKER`: it says the merge was applied,
or why it was not (what the plan does now that it did not do at review, or that no reviewed
plan exists) together with the plan apply would run now and how to run it after review.
Pure functions of plans already rendered and of where the run can be seen.
"""

from __future__ import annotations

from smartlead_sync.gitops.github_texts import (
    GITHUB_BODY_LIMIT,
    PLAN_MARKER,
    RunContext,
    fit_body,
)
from smartlead_sync.render.markdown import code
from smartlead_sync.render.since_review import SinceReview

APPLY_MARKER = "<!-- smartlead-sync:apply -->"
_SHOWN_DIFFERENCES = 40


def _rerun(run: RunContext, fingerprint: str) -> str:
    where = (
        f"the failed {run.link('smartlead-sync apply run')}"
        if run.run_url
        else ("the failed *smartlead-sync apply* run")
    )
    return (
        "**To apply it:** review the plan below. If it is what you want, re-run "
        f"{where} (*Re-run jobs*), or run the *smartlead-sync apply* workflow by hand on this "
        f"commit. It applies this plan, fingerprint {code(fingerprint)}, and nothing else: if "
        "Smartlead or the files move again first, it stops again and posts the newer plan "
        "here. If it is not what you want, change the campaign files in a new pull request."
    )


def _plan_block(markdown: str) -> str:
    plan = markdown.replace(PLAN_MARKER, "").strip("\n")
    return (
        f"<details open>\n<summary>The plan apply would run now</summary>\n\n{plan}\n\n</details>\n"
    )


def _differences(found: SinceReview) -> str:
    if found.looks_the_same:
        return (
            "The changes read as they did at review, but what they write differs (lead data "
            "behind the same counts, or a value written along with a change).\n"
        )
    lines = [f"- `+` {code(line)}" for line in found.added]
    lines += [f"- `-` {code(line)}" for line in found.dropped]
    lines += [f"- `~` {code(line)}" for line in found.changed]
    more = len(lines) - _SHOWN_DIFFERENCES
    shown = lines[:_SHOWN_DIFFERENCES] + ([f"- … and {more} more"] if more > 0 else [])
    legend = "`+` now planned, `-` no longer planned, `~` planned differently"
    return f"**Since review** ({legend}):\n\n" + "\n".join(shown) + "\n"


def _footer(run: RunContext, commit: str) -> str:
    parts = ["smartlead-sync apply", f"merge `{commit[:7]}`"]
    if run.run_url:
        parts.append(run.link())
    return "\n<sub>" + " · ".join(parts) + "</sub>\n"


def _fit(head: str, markdown: str, run: RunContext, commit: str) -> str:
    footer = _footer(run, commit)
    elsewhere = f"The full plan is in the job summary and the replan artifact of {run.link()}."
    text = f"{head}\n{_plan_block(markdown)}"
    return fit_body(text, GITHUB_BODY_LIMIT - len(footer), elsewhere=elsewhere) + footer


def stale_body(
    *,
    commit: str,
    reviewed_fingerprint: str,
    reasons: list[str],
    found: SinceReview,
    markdown: str,
    fingerprint: str,
    run: RunContext,
) -> str:
    """The merge was not applied: what it would do changed since the plan was reviewed."""
    head = (
        f"{APPLY_MARKER}\n### smartlead-sync apply: not applied, the plan changed since review\n\n"
        f"> [!WARNING]\n> Nothing was written to Smartlead. What merging `{commit[:7]}` would do "
        f"is no longer the plan that was reviewed ({code(reviewed_fingerprint)}): "
        f"{'; '.join(reasons[1:]) or reasons[0]}.\n\n"
        f"{_differences(found)}\n{_rerun(run, fingerprint)}\n"
    )
    return _fit(head, markdown, run, commit)


def missing_body(*, commit: str, why: str, markdown: str, fingerprint: str, run: RunContext) -> str:
    """The merge was not applied: no reviewed plan exists for it."""
    head = (
        f"{APPLY_MARKER}\n### smartlead-sync apply: not applied, no reviewed plan\n\n"
        f"> [!WARNING]\n> Nothing was written to Smartlead. The apply on merge only runs a plan "
        f"that was shown for review, and there is none for `{commit[:7]}`: {why}.\n\n"
        f"{_rerun(run, fingerprint)}\n"
    )
    return _fit(head, markdown, run, commit)


def applied_body(*, commit: str, fingerprint: str, origin: str, run: RunContext) -> str:
    """The merge was applied with the reviewed plan."""
    return (
        f"{APPLY_MARKER}\n### smartlead-sync apply: applied\n\n"
        f"Merging `{commit[:7]}` applied {origin}, fingerprint {code(fingerprint)}, as reviewed. "
        "The report is in the job summary of the run." + _footer(run, commit)
    )


_FAILED = {
    3: "a safety rule blocked it before any write. Once the blocked changes are reviewed, run "
    "the *smartlead-sync apply* workflow by hand with *allow destroy* ticked.",
    1: "it stopped with an error; Smartlead may be partly changed. The report in the run says "
    "what was and was not done; fix the cause and re-run the run: apply converges from where "
    "it stopped.",
}


def failed_body(*, commit: str, exit_code: int, run: RunContext) -> str:
    """The apply of the reviewed plan did not finish (any exit but 0 and 4)."""
    why = _FAILED.get(exit_code, _FAILED[1])
    return (
        f"{APPLY_MARKER}\n### smartlead-sync apply: did not finish (exit {exit_code})\n\n"
        f"Merging `{commit[:7]}` ran the reviewed plan, but {why}" + _footer(run, commit)
    )
