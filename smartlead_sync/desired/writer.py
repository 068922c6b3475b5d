"""Campaign file model -> YAML text that loads back to the same model.

Used by `import` (live campaigns -> files) and by the round-trip property test. Multi-line text
is written as `|` blocks so HTML bodies stay readable in review.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from smartlead_sync.desired.models import CampaignFile
from smartlead_sync.desired.yamlsource import plain_scalar

SCHEMA_COMMENT = "# yaml-language-server: $schema={ref}\n"
DEFAULT_SCHEMA_REF = ".schema/campaign.schema.json"


class _Dumper(yaml.SafeDumper):
    pass


_BREAKS_AND_MARKS = frozenset("\r\x85\u2028\u2029\ufeff")
# A time of day (`09:00`, `17:30`): written "quoted", as the README asks of every time, because
# YAML 1.1 readers (PyYAML, many editors and linters) read `17:30` as the number 1050.
_TIME_OF_DAY = re.compile(r"[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if any(ch in _BREAKS_AND_MARKS for ch in value):
        style = '"'  # escaped: YAML reads these as line breaks or a byte-order mark
    elif "\n" in value:
        style = "|"
    elif _TIME_OF_DAY.fullmatch(value):
        style = '"'
    elif not (isinstance(plain_scalar(value), str) and plain_scalar(value) == value):
        # The loader reads plain scalars with the YAML 1.2 core schema; quote whatever it
        # would not read back as this very text ("", "1e3", "0o17", "null"...).
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    """Short lists of words (`days: [monday, tuesday]`) on one line, the rest one per line."""
    short = all(isinstance(v, (str, int)) and "\n" not in str(v) for v in value)
    flow = short and sum(len(str(v)) + 2 for v in value) < 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)

# Keys a reader looks for first; the rest keep the models' order.
_FIRST_KEYS = ("name", "label", "delay_days", "subject", "percentage", "body", "body_file")


def _ordered(value: Any) -> Any:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: _FIRST_KEYS.index(k) if k in _FIRST_KEYS else 99)
        return {key: _ordered(value[key]) for key in keys}
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    return value


def _escape_env(value: str) -> str:
    """`${` is interpolation in URL and CSV path values (loader.py); `$${` is a literal `${`."""
    return value.replace("${", "$${")


def campaign_document(model: CampaignFile) -> dict[str, Any]:
    """The model as plain data, defaults left out, `${` escaped where the loader expands it."""
    doc: dict[str, Any] = model.model_dump(mode="json", exclude_defaults=True)
    for hook in doc.get("webhooks") or ():
        hook["url"] = _escape_env(hook["url"])
    for source in (doc.get("leads") or {}).get("sources") or ():
        if "csv" in source:
            source["csv"] = _escape_env(source["csv"])
    ordered: dict[str, Any] = _ordered(doc)
    return ordered


def dump_campaign(model: CampaignFile, *, schema_ref: str | None = DEFAULT_SCHEMA_REF) -> str:
    """YAML text for one campaign file, starting with the editor schema comment."""
    body = yaml.dump(
        campaign_document(model),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    header = SCHEMA_COMMENT.format(ref=schema_ref) if schema_ref else ""
    return header + body
