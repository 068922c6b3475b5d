"""JSON Schema of the campaign and project files, for editors (`yaml-language-server`).

Generated from the models, then relaxed where layering makes a partial file valid: any key may
come from `extends:` or project defaults, so nothing is required, `extends:` is allowed, and
`sequence:` may be a mapping of step-number overrides.
"""

from __future__ import annotations

import json
from typing import Any

from smartlead_sync.desired.models import CampaignFile
from smartlead_sync.desired.project_file import ProjectFile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _drop_required(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("required", None)
        for value in node.values():
            _drop_required(value)
    elif isinstance(node, list):
        for value in node:
            _drop_required(value)


def campaign_schema() -> dict[str, Any]:
    schema = CampaignFile.model_json_schema()
    _drop_required(schema)
    props = schema["properties"]
    props["extends"] = {
        "description": "Template file(s) this campaign builds on, relative to the project.",
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    }
    step_overrides = {
        "type": "object",
        "description": "Overrides of inherited steps, by step number (1 = first step).",
        "patternProperties": {"^[1-9][0-9]*$": {"$ref": "#/$defs/StepModel"}},
        "additionalProperties": False,
    }
    props["sequence"] = {"anyOf": [props["sequence"], step_overrides]}
    return {**schema, "$schema": SCHEMA_DIALECT, "title": "smartlead-sync campaign file"}


def project_schema() -> dict[str, Any]:
    schema = ProjectFile.model_json_schema()
    campaign = campaign_schema()
    defs = {**campaign.pop("$defs"), **schema.pop("$defs", {})}
    campaign_props = dict(campaign["properties"])
    for key in ("name", "id", "previous_names", "extends", "safety"):
        campaign_props.pop(key, None)
    schema["properties"]["defaults"] = {
        "type": "object",
        "description": "Campaign keys every campaign inherits (lowest precedence).",
        "properties": campaign_props,
        "additionalProperties": False,
    }
    _drop_required(schema)
    return {
        **schema,
        "$schema": SCHEMA_DIALECT,
        "title": "smartlead-sync project file",
        "$defs": defs,
    }


def schema_text(kind: str = "campaign") -> str:
    schema = project_schema() if kind == "project" else campaign_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
