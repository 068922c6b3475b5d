"""The workflow templates shipped inside the package are the ones this repository runs, and
they install only what the hashed lock names."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from smartlead_sync.starter import LOCK_FILE, WORKFLOWS, starter_files, workflow_template
from smartlead_sync.starter.lock import WORKFLOW_PYTHON
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
    starter = {str(f.path): f.text for f in starter_files()}
    assert starter[f".github/workflows/{name}"] == shipped


def test_every_user_workflow_of_the_repository_is_shipped() -> None:
    in_repo = {p.name for p in REPO_WORKFLOWS.glob("*.yml")} - REPO_ONLY
    assert in_repo == set(WORKFLOWS), "add new user workflows to smartlead_sync/starter/"


def _steps(name: str) -> list[dict[str, object]]:
    jobs = yaml.safe_load(workflow_template(name))["jobs"]
    return [step for job in jobs.values() for step in job["steps"]]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_every_template_sets_up_the_python_the_lock_is_made_for(name: str) -> None:
    versions = {
        str(step["with"]["python-version"])  # type: ignore[index]
        for step in _steps(name)
        if str(step.get("uses", "")).startswith("actions/setup-python@")
    }
    assert versions == {WORKFLOW_PYTHON}


def _install_script(name: str) -> str:
    (install,) = [s for s in _steps(name) if s.get("name") == "Install smartlead-sync"]
    return str(install["run"])


def _run_install(name: str, workdir: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    """The template's install step under bash, with a `python` that only records its args."""
    bin_dir = workdir.parent / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "python"
    fake.write_text('#!/bin/sh\necho "$@" >> "$CALLS"\n', encoding="utf-8")
    fake.chmod(0o755)
    calls = workdir.parent / "calls.txt"
    calls.write_text("", encoding="utf-8")
    env = {"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin", "CALLS": str(calls)}
    done = subprocess.run(
        ["bash", "-e", "-c", _install_script(name)],
        cwd=workdir, env=env, capture_output=True, text=True, check=False, timeout=30,
    )  # fmt: skip
    return done, calls.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", WORKFLOWS)
def test_a_template_installs_only_the_hashed_lock_and_refuses_without_it(
    name: str, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    missing, calls = _run_install(name, repo)
    assert missing.returncode == 1 and calls == ""
    assert missing.stdout.startswith("::error title=No smartlead-sync lock::")
    assert "smartlead-sync lock-workflows" in missing.stdout

    (repo / LOCK_FILE).parent.mkdir(parents=True)
    (repo / LOCK_FILE).write_text("smartlead-sync==1.0 --hash=sha256:" + "0" * 64 + "\n")
    locked, calls = _run_install(name, repo)
    assert locked.returncode == 0, locked.stderr
    assert calls == f"-m pip install --require-hashes -r {LOCK_FILE}\n"


def test_only_the_smartlead_sync_checkout_installs_unlocked(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "smartlead_sync").mkdir(parents=True)
    (repo / "smartlead_sync" / "__init__.py").write_text("")
    for name in WORKFLOWS:
        done, calls = _run_install(name, repo)
        assert (done.returncode, calls) == (0, "-m pip install .\n")
        pip_lines = [ln.strip() for ln in _install_script(name).splitlines() if "pip " in ln]
        assert pip_lines == [
            "python -m pip install .",
            f"python -m pip install --require-hashes -r {LOCK_FILE}",
        ]
