"""The starter project `smartlead-sync init` writes, shipped inside the package.

The GitHub workflow templates live here (`workflows/*.yml`); this repository's own
`.github/workflows/` copies of them are identical, which a test checks. `starter_files(version)`
is the whole starter: campaign files, editor schemas, pre-commit config, and the workflows
pinned to `version`. Pure: nothing is written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import PurePosixPath

from smartlead_sync.desired.layout import PROJECT_FILE
from smartlead_sync.desired.schema import schema_text

PROJECT_DIR = "campaigns"  # the default PATH of every command
WORKFLOW_DIR = ".github/workflows"
WORKFLOWS = ("plan.yml", "apply.yml", "drift.yml", "guard.yml", "ab.yml")
GITIGNORE = ".gitignore"

# Target path (relative to the repository) -> file under `project/` in this package. Names of
# packaged files carry no leading dot: package data globs skip hidden files.
_PROJECT_FILES = {
    f"{PROJECT_DIR}/{PROJECT_FILE}": "smartlead-sync.yaml",
    f"{PROJECT_DIR}/welcome.yaml": "welcome.yaml",
    f"{PROJECT_DIR}/leads/welcome.csv": "welcome.csv",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
}
_SCHEMAS = {
    f"{PROJECT_DIR}/.schema/campaign.schema.json": "campaign",
    f"{PROJECT_DIR}/.schema/project.schema.json": "project",
}
_VERSION_LINE = re.compile(r'^(?P<key>\s*SMARTLEAD_SYNC_VERSION:\s*)"[^"\n]*"', re.MULTILINE)


@dataclass(frozen=True)
class StarterFile:
    path: PurePosixPath  # relative to the directory init was given
    text: str


def _packaged(*parts: str) -> str:
    resource = resources.files(__name__)
    for part in parts:
        resource = resource.joinpath(part)
    return resource.read_text(encoding="utf-8")


def workflow_template(name: str) -> str:
    """The workflow template `name` (e.g. `plan.yml`) as shipped."""
    return _packaged("workflows", name)


def pin_version(workflow: str, version: str) -> str:
    """The workflow with its `SMARTLEAD_SYNC_VERSION` set to `version` (the release it installs).

    Raises ValueError when the template has no such line: a template that installs an
    unpinned release must never be written."""
    pinned, count = _VERSION_LINE.subn(rf'\g<key>"{version}"', workflow)
    if count != 1:
        raise ValueError("workflow template without exactly one SMARTLEAD_SYNC_VERSION line")
    return pinned


def gitignore_entries() -> list[str]:
    """The lines init makes sure `.gitignore` has (comments included, in order)."""
    return _packaged("project", "gitignore").splitlines()


def starter_files(version: str) -> list[StarterFile]:
    """Every file of the starter project except `.gitignore` (which init merges, not writes)."""
    texts = {target: _packaged("project", source) for target, source in _PROJECT_FILES.items()}
    texts |= {target: schema_text(kind) for target, kind in _SCHEMAS.items()}
    for name in WORKFLOWS:
        texts[f"{WORKFLOW_DIR}/{name}"] = pin_version(workflow_template(name), version)
    return [StarterFile(PurePosixPath(target), text) for target, text in texts.items()]
