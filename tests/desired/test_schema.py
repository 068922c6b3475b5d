"""The editor schemas: the committed copies match `smartlead-sync schema`, the examples satisfy
them, every key is described in the user's words, and errors point at the key that is wrong."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from smartlead_sync.desired.models import CampaignFile
from smartlead_sync.desired.project_file import ProjectFile
from smartlead_sync.desired.reference import FIELDS
from smartlead_sync.desired.schema import reference_markdown, schema_text
from smartlead_sync.desired.yamlsource import read_yaml
from tests.cli_process import REPO_ROOT
from tests.conftest import RunCli

EXAMPLES = REPO_ROOT / "campaigns"
CAMPAIGN_SCHEMA = EXAMPLES / ".schema" / "campaign.schema.json"
PROJECT_SCHEMA = EXAMPLES / ".schema" / "project.schema.json"
TEMPLATE_SCHEMA = EXAMPLES / ".schema" / "template.schema.json"
KINDS = ("campaign", "template", "project")
CAMPAIGN_FILES = sorted(p for p in EXAMPLES.rglob("*.yaml") if p.name != "smartlead-sync.yaml")


def test_committed_schemas_match_the_command(run_cli: RunCli) -> None:
    proc = run_cli("schema")
    assert proc.returncode == 0
    assert proc.stdout == CAMPAIGN_SCHEMA.read_text()
    assert schema_text("project") == PROJECT_SCHEMA.read_text()
    assert schema_text("template") == TEMPLATE_SCHEMA.read_text()


def _plain(path: Path) -> object:
    data, problems = read_yaml(path.read_bytes(), str(path))
    assert not problems
    return json.loads(json.dumps(data))  # int keys (step overrides) become strings as in JSON


@pytest.mark.parametrize("path", CAMPAIGN_FILES, ids=lambda p: p.name)
def test_example_files_carry_the_schema_comment_and_satisfy_it(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    schema = TEMPLATE_SCHEMA if "templates" in path.relative_to(EXAMPLES).parts else CAMPAIGN_SCHEMA
    assert (path.parent / first[len(prefix) :]).resolve() == schema.resolve()
    jsonschema.Draft202012Validator(json.loads(schema.read_text())).validate(_plain(path))


def test_project_file_satisfies_its_schema() -> None:
    schema = json.loads(PROJECT_SCHEMA.read_text())
    jsonschema.Draft202012Validator(schema).validate(_plain(EXAMPLES / "smartlead-sync.yaml"))


def test_schema_rejects_an_unknown_key() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(CAMPAIGN_SCHEMA.read_text()))
    assert not validator.is_valid({"name": "x", "setings": {}})


def _properties(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every property schema anywhere in `node`, with where it was found."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for key, prop in (node.get("properties") or {}).items():
            found.append((f"{path}.{key}", prop))
        for key, value in node.items():
            found += _properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for value in node:
            found += _properties(value, path)
    return found


INTERNAL = re.compile(r"§|\bsection \d|smartlead-api|\[[A-Z0-9]+\]")


@pytest.mark.parametrize("kind", KINDS)
def test_every_key_is_described_in_the_users_words(kind: str) -> None:
    schema = json.loads(schema_text(kind))
    props = _properties(schema)
    assert len(props) > 90
    assert [where for where, prop in props if not prop.get("description")] == []
    texts = [str(prop["description"]) for _, prop in props]
    texts += [str(d["description"]) for d in schema["$defs"].values() if "description" in d]
    assert [t for t in texts if INTERNAL.search(t)] == []


def test_every_field_is_described_once_in_the_reference_or_on_the_field() -> None:
    fields = {
        f"{model.__name__}.{name}": info.description
        for model in _models(CampaignFile) | _models(ProjectFile)
        for name, info in model.model_fields.items()
    }
    assert set(FIELDS) - {"CampaignFile.extends"} <= set(fields)  # no stale entry
    assert [f for f, own in fields.items() if (f in FIELDS) == bool(own)] == []


def _models(model: Any, seen: set[Any] | None = None) -> set[Any]:
    seen = set() if seen is None else seen
    if model in seen:
        return seen
    seen.add(model)
    for field in model.model_fields.values():
        for inner in _pydantic_models(field.annotation):
            _models(inner, seen)
    return seen


def _pydantic_models(annotation: Any) -> list[Any]:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _pydantic_models(arg)]


def test_name_is_required_in_a_campaign_and_not_in_a_template() -> None:
    campaign = jsonschema.Draft202012Validator(json.loads(schema_text("campaign")))
    template = jsonschema.Draft202012Validator(json.loads(schema_text("template")))
    steps = {"sequence": [{"delay_days": 0, "subject": "Hi", "body": "<p>x</p>"}]}
    assert [e.message for e in campaign.iter_errors(steps)] == ["'name' is a required property"]
    assert template.is_valid(steps)


def _anyofs(node: Any) -> list[list[Any]]:
    if isinstance(node, list):
        return [found for value in node for found in _anyofs(value)]
    if not isinstance(node, dict):
        return []
    own = [node["anyOf"]] if "anyOf" in node else []
    return own + [found for value in node.values() for found in _anyofs(value)]


@pytest.mark.parametrize("kind", KINDS)
def test_no_optional_key_is_wrapped_in_an_anyof_with_null(kind: str) -> None:
    wrappers = [o for o in _anyofs(json.loads(schema_text(kind))) if {"type": "null"} in o]
    assert wrappers == []


def test_an_error_inside_an_optional_object_names_the_key_that_is_wrong() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(schema_text("campaign")))
    wrong = {"name": "x", "schedule": {"timezone": 5}, "leads": {"prune": "yes"}}
    paths = sorted(list(e.absolute_path) for e in validator.iter_errors(wrong))
    assert paths == [["leads", "prune"], ["schedule", "timezone"]]


def test_null_still_removes_an_inherited_value_and_partial_overrides_are_valid() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(schema_text("campaign")))
    assert validator.is_valid({"name": "x", "schedule": None, "client_id": None, "status": None})
    assert validator.is_valid({"name": "x", "schedule": {"timezone": "Europe/Berlin"}})
    assert validator.is_valid({"name": "x", "sequence": {"3": {"subject": "Still there?"}}})
    assert not validator.is_valid({"name": "x", "webhooks": [{"name": "CRM"}]})  # whole items


def test_readme_key_reference_is_generated_from_the_same_descriptions() -> None:
    readme = REPO_ROOT / "README.md"
    start, end = "<!-- keys:start -->\n", "<!-- keys:end -->"
    text = readme.read_text()
    before, rest = text.split(start)
    current, after = rest.split(end)
    if os.environ.get("SMARTLEAD_UPDATE_GOLDEN"):
        readme.write_text(before + start + reference_markdown() + end + after)
        current = reference_markdown()
    assert current == reference_markdown(), (
        "README key reference is stale: SMARTLEAD_UPDATE_GOLDEN=1 python -m pytest "
        "tests/desired/test_schema.py"
    )
