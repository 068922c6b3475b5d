"""The committed editor schemas match `smartlead-sync schema`, and the examples satisfy them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from smartlead_sync.desired.schema import schema_text
from smartlead_sync.desired.yamlsource import read_yaml
from tests.conftest import REPO_ROOT, RunCli

EXAMPLES = REPO_ROOT / "campaigns"
CAMPAIGN_SCHEMA = EXAMPLES / ".schema" / "campaign.schema.json"
PROJECT_SCHEMA = EXAMPLES / ".schema" / "project.schema.json"
CAMPAIGN_FILES = sorted(p for p in EXAMPLES.rglob("*.yaml") if p.name != "smartlead-sync.yaml")


def test_committed_schemas_match_the_command(run_cli: RunCli) -> None:
    proc = run_cli("schema")
    assert proc.returncode == 0
    assert proc.stdout == CAMPAIGN_SCHEMA.read_text()
    assert schema_text("project") == PROJECT_SCHEMA.read_text()


def _plain(path: Path) -> object:
    data, problems = read_yaml(path.read_bytes(), str(path))
    assert not problems
    return json.loads(json.dumps(data))  # int keys (step overrides) become strings as in JSON


@pytest.mark.parametrize("path", CAMPAIGN_FILES, ids=lambda p: p.name)
def test_example_files_carry_the_schema_comment_and_satisfy_it(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    assert (path.parent / first[len(prefix) :]).resolve() == CAMPAIGN_SCHEMA.resolve()
    jsonschema.Draft202012Validator(json.loads(CAMPAIGN_SCHEMA.read_text())).validate(_plain(path))


def test_project_file_satisfies_its_schema() -> None:
    schema = json.loads(PROJECT_SCHEMA.read_text())
    jsonschema.Draft202012Validator(schema).validate(_plain(EXAMPLES / "smartlead-sync.yaml"))


def test_schema_rejects_an_unknown_key() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(CAMPAIGN_SCHEMA.read_text()))
    assert not validator.is_valid({"name": "x", "setings": {}})
