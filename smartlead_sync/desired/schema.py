"""JSON Schema of the campaign, template and project files, for editors (`yaml-language-server`).

Generated from the models, with every key described from `reference.FIELDS`, then shaped for
editors: an optional key is its own type (or null, which removes an inherited value), never an
`anyOf` with null, so an editor reports the real mistake at its key. Layering makes partial
objects valid: a key reached through mappings only (`schedule:`, `settings:`, a step override)
may come from `extends:` or project defaults, so its object requires nothing; list items are
replaced whole and keep their required keys. A campaign file requires `name`; a template
(under `templates/`) requires nothing.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from smartlead_sync.desired.models import CampaignFile
from smartlead_sync.desired.project_file import ProjectFile
from smartlead_sync.desired.reference import FIELDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SchemaKind = Literal["campaign", "template", "project"]
_DEF = "#/$defs/"
_NOT_IN_DEFAULTS = ("name", "id", "previous_names", "extends", "safety")


def _nullable(node: dict[str, Any]) -> dict[str, Any] | None:
    """`anyOf: [X, null]` as X-or-null without `anyOf`, or None when `node` is not that."""
    options = node.get("anyOf")
    if not isinstance(options, list) or len(options) != 2 or {"type": "null"} not in options:
        return None
    (inner,) = [o for o in options if o != {"type": "null"}]
    rest = {k: v for k, v in node.items() if k not in ("anyOf", "default")}
    if isinstance(inner.get("type"), str) and "enum" not in inner and "const" not in inner:
        return {**inner, **rest, "type": [inner["type"], "null"]}
    return {**rest, "if": {"type": "null"}, "then": True, "else": inner}


def _shape(node: Any) -> Any:
    if isinstance(node, float) and node.is_integer():
        return int(node)  # `80`, whichever way the pydantic version writes it
    if isinstance(node, list):
        return [_shape(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _shape(v) for k, v in node.items()}
    return _nullable(node) or node


def _key_names(node: Any, defs: dict[str, Any]) -> Any:
    """Mapping keys from a closed set (rate-limit buckets) as a plain `enum`, written the same
    whichever way the pydantic version writes them."""
    if isinstance(node, list):
        return [_key_names(n, defs) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _key_names(v, defs) for k, v in node.items()}
    names = node.get("propertyNames")
    if isinstance(names, dict):
        target = defs.get(str(names.get("$ref", "")).removeprefix(_DEF), names)
        node["propertyNames"] = {"enum": target["enum"]} if "enum" in target else names
    return node


def _used_defs(schema: dict[str, Any]) -> dict[str, Any]:
    """Only the definitions something refers to, directly or through another definition."""
    defs = schema["$defs"]
    used: set[str] = set()
    todo = _refs({k: v for k, v in schema.items() if k != "$defs"}, through_items=True)
    while todo:
        name = todo.pop()
        if name not in used and name in defs:
            used.add(name)
            todo |= _refs(defs[name], through_items=True)
    return {name: defs[name] for name in sorted(used)}


def _refs(node: Any, *, through_items: bool) -> set[str]:
    """Names of the definitions `node` refers to, looking into array items only if asked."""
    if isinstance(node, list):
        return set().union(*(_refs(n, through_items=through_items) for n in node))
    if not isinstance(node, dict):
        return set()
    found = {node["$ref"].removeprefix(_DEF)} if "$ref" in node else set()
    for key, value in node.items():
        if key != "items" or through_items:
            found |= _refs(value, through_items=through_items)
    return found


def _mergeable(schema: dict[str, Any]) -> set[str]:
    """Definitions reachable from the top through mappings only: layering may leave them
    partial in any one file."""
    defs = schema["$defs"]
    seen: set[str] = set()
    todo = _refs(schema["properties"], through_items=False)
    while todo:
        name = todo.pop()
        if name not in seen and name in defs:
            seen.add(name)
            todo |= _refs(defs[name].get("properties", {}), through_items=False)
    return seen


def _describe(model: str, node: dict[str, Any]) -> None:
    node.pop("description", None)  # model docstrings are written for developers
    for key, prop in node.get("properties", {}).items():
        if f"{model}.{key}" in FIELDS:
            prop["description"] = FIELDS[f"{model}.{key}"]


def _finish(schema: dict[str, Any], model: str, title: str) -> dict[str, Any]:
    """Descriptions, null without `anyOf`, and no required keys in mergeable objects."""
    defs = schema.get("$defs", {})
    for name, definition in defs.items():
        _describe(name, definition)
    _describe(model, schema)
    schema = _key_names(_shape(schema), defs)
    schema["$defs"] = _used_defs(schema)
    for name in _mergeable(schema):
        schema["$defs"][name].pop("required", None)
    return {"$schema": SCHEMA_DIALECT, "title": title, **schema}


def _campaign(kind: SchemaKind) -> dict[str, Any]:
    schema = CampaignFile.model_json_schema()
    schema.pop("title", None)
    props = schema["properties"]
    props["extends"] = {
        "description": FIELDS["CampaignFile.extends"],
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    }
    step_overrides = {
        "type": "object",
        "description": "Overrides of inherited steps, by step number (1 = first step).",
        "patternProperties": {"^[1-9][0-9]*$": {"$ref": f"{_DEF}StepModel"}},
        "additionalProperties": False,
    }
    props["sequence"] = {"anyOf": [props["sequence"], step_overrides]}
    if kind == "template":
        schema.pop("required", None)
    title = "smartlead-sync campaign template" if kind == "template" else "smartlead-sync campaign"
    return _finish(schema, "CampaignFile", title)


def _project() -> dict[str, Any]:
    schema = ProjectFile.model_json_schema()
    schema.pop("title", None)
    campaign = CampaignFile.model_json_schema()
    schema["$defs"] = {**campaign.pop("$defs"), **schema.get("$defs", {})}
    _describe("CampaignFile", campaign)
    schema["properties"]["defaults"] = {
        "type": "object",
        "properties": {
            k: v for k, v in campaign["properties"].items() if k not in _NOT_IN_DEFAULTS
        },
        "additionalProperties": False,
    }
    return _finish(schema, "ProjectFile", "smartlead-sync project file")


def campaign_schema() -> dict[str, Any]:
    return _campaign("campaign")


def project_schema() -> dict[str, Any]:
    return _project()


def schema_text(kind: str = "campaign") -> str:
    """`kind`: campaign, template or project."""
    match kind:
        case "project":
            schema = _project()
        case "template":
            schema = _campaign("template")
        case _:
            schema = _campaign("campaign")
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _targets(node: dict[str, Any], suffix: str = "") -> list[tuple[str, str]]:
    """(definition, path suffix) pairs a property leads to: `[]` marks list items, `.N` a step
    number, `.KEY` a mapping key."""
    found: list[tuple[str, str]] = []
    if "$ref" in node:
        found.append((node["$ref"].removeprefix(_DEF), suffix))
    for key in ("else", "items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            more = {"items": "[]", "additionalProperties": ".KEY"}.get(key, "")
            found += _targets(node[key], suffix + more)
    for option in node.get("anyOf", ()):
        found += _targets(option, suffix)
    for inner in node.get("patternProperties", {}).values():
        found += _targets(inner, suffix + ".N")
    return found


def _rows(schema: dict[str, Any], props: dict[str, Any], prefix: str) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, prop in props.items():
        path = f"{prefix}{key}"
        rows.append((path, str(prop.get("description", ""))))
        if key == "defaults" and "properties" in prop:
            continue  # the campaign keys, listed in the campaign table
        for name, suffix in dict.fromkeys(_targets(prop)):
            if ".N" in suffix:
                continue  # step overrides by number: the same keys as a step
            inner = schema["$defs"].get(name, {}).get("properties")
            if inner and not path.endswith(f".{name}"):
                rows += _rows(schema, inner, f"{path}{suffix}.")
    return list(dict.fromkeys(rows))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def reference_markdown() -> str:
    """The key reference of the README: every key of both files with its description."""
    parts = []
    for title, schema in (("Campaign file", _campaign("campaign")), ("Project file", _project())):
        rows = _rows(schema, schema["properties"], "")
        lines = [f"**{title}**", "", "| key | meaning |", "|---|---|"]
        lines += [f"| `{path}` | {_cell(text)} |" for path, text in rows]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
