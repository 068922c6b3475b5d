"""The workflow templates shipped inside the package are the ones this repository runs."""

from __future__ import annotations

import pytest

from smartlead_sync import __version__
from smartlead_sync.starter import WORKFLOWS, pin_version, starter_files, workflow_template
from tests.cli_process import REPO_ROOT

REPO_WORKFLOWS = REPO_ROOT / ".github" / "workflows"
REPO_ONLY = {"ci.yml", "release.yml"}  # this repository's own CI, never a user's


@pytest.mark.parametrize("name", WORKFLOWS)
def test_the_repository_runs_the_shipped_template_unchanged(name: str) -> None:
    shipped = workflow_template(name)
    assert (REPO_WORKFLOWS / name).read_text(encoding="utf-8") == shipped, (
        f".github/workflows/{name} differs from smartlead_sync/starter/workflows/{name}: edit "
        "the packaged template and copy it over (users get the packaged one from `init`)"
    )


def test_every_user_workflow_of_the_repository_is_shipped() -> None:
    in_repo = {p.name for p in REPO_WORKFLOWS.glob("*.yml")} - REPO_ONLY
    assert in_repo == set(WORKFLOWS), "add new user workflows to smartlead_sync/starter/"


def test_pinning_sets_the_release_each_workflow_installs() -> None:
    for name in WORKFLOWS:
        pinned = pin_version(workflow_template(name), "9.8.7")
        assert 'SMARTLEAD_SYNC_VERSION: "9.8.7"' in pinned
        assert pinned.replace('"9.8.7"', '"x"') == pin_version(workflow_template(name), "x")
    starter = {str(f.path): f.text for f in starter_files(__version__)}
    for name in WORKFLOWS:
        assert f'SMARTLEAD_SYNC_VERSION: "{__version__}"' in starter[f".github/workflows/{name}"]


def test_a_template_without_a_version_line_is_refused() -> None:
    with pytest.raises(ValueError, match="SMARTLEAD_SYNC_VERSION"):
        pin_version("name: x\non: push\n", "1.0.0")
