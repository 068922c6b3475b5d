"""`plan --drift-base REF`: which planned changes come from the repository, and which undo a
change made in Smartlead outside it (see `gitops/drift.py`)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from smartlead_sync.cli.output import Console
from smartlead_sync.desired import DesiredProject, load_project
from smartlead_sync.errors import Severity
from smartlead_sync.gitops.drift import attribute_changes, drift_markdown, drift_text
from smartlead_sync.gitops.gitref import project_at_ref
from smartlead_sync.plan.plan_types import Plan

drift_base_option = click.option(
    "--drift-base",
    metavar="REF",
    help="Also tell changes made in the repository since git REF (e.g. the last applied "
    "commit) from changes made in Smartlead outside it.",
)


def drift_section(
    path: Path, ref: str, *, current: DesiredProject, plan: Plan, fmt: str, console: Console
) -> str:
    """The attribution to print after the plan, in the plan's format ("" for JSON or no change)."""
    if fmt == "json":
        console.print("note: --drift-base adds nothing to JSON output")
        return ""
    if not plan.has_changes:
        return ""
    with project_at_ref(path, ref) as (base_dir, sha):
        base, problems = load_project(base_dir, env=dict(os.environ))
    errors = sum(p.severity is Severity.ERROR for p in problems)
    if errors:
        console.print(
            f"note: {errors} problem(s) in the files at {ref}; changes to campaigns that did "
            "not load there are counted as changes in the repository"
        )
    label = ref if sha.startswith(ref) else f"{ref} ({sha[:7]})"
    report = attribute_changes(plan, current.campaigns, base.campaigns, label)
    return drift_markdown(report) if fmt == "markdown" else drift_text(report)
