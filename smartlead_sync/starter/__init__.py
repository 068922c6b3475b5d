"""The starter project `smartlead-sync init` writes, shipped inside the package.

The GitHub workflow templates live here (`workflows/*.yml`); this repository's own
`.github/workflows/` copies of them are identical, which a test checks. They install what the
lock file `LOCK_FILE` names (see `lock.py`), so they carry no version themselves.
`starter_files()` is the whole starter but that lock: campaign files, editor schemas,
pre-commit config and the workflows. Pure: nothing is written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import PurePosixPath

from smartlead_sync.desired.layout import PROJECT_FILE
from smartlead_sync.desired.schema import schema_text

PROJECT_DIR = "campaigns"  # the default PATH of every command
WORKFLOW_DIR = ".github/workflows"
WORKFLOWS = ("plan.yml", "apply.yml", "drift.yml", "guard.yml", "ab.yml")
GITIGNORE = ".gitignore"
LOCK_FILE = ".github/smartlead-sync.lock.txt"  # what the workflows install, with hashes

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


def gitignore_entries() -> list[str]:
    """The lines init makes sure `.gitignore` has (comments included, in order)."""
    return _packaged("project", "gitignore").splitlines()


def starter_files() -> list[StarterFile]:
    """Every file of the starter project except `.gitignore` (which init merges, not writes)
    and the lock (which needs the package index)."""
    texts = {target: _packaged("project", source) for target, source in _PROJECT_FILES.items()}
    texts |= {target: schema_text(kind) for target, kind in _SCHEMAS.items()}
    for name in WORKFLOWS:
        texts[f"{WORKFLOW_DIR}/{name}"] = workflow_template(name)
    return [StarterFile(PurePosixPath(target), text) for target, text in texts.items()]
