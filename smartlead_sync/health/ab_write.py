"""`ab --write`: the promotion of an A/B winner as a small textual edit of the campaign file,
so that comments and layout stay and the change is reviewed in a pull request like any other.

`winner_to_100` sets each variant's `percentage:` (100 for the winner, 0 for the others, ids
and stats kept); `remove_losers` deletes the losing variants and the concluded `ab_test:`.
Only block-style YAML in the campaign's own file is edited: a step inherited from a template
or written in flow style (`{label: A, ...}`) is reported for a hand edit instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from smartlead_sync.desired.positions import Pos, PosDict, PosList
from smartlead_sync.desired.project import CampaignSource
from smartlead_sync.health.spec import OnWinner

_SCALAR = re.compile(r"[^\s#,}\]]+")


class CannotEdit(ValueError):
    """The promotion cannot be written as a safe textual edit; the message says why."""


class _Kind(Enum):
    REPLACE = "replace"  # the scalar at `column` becomes `text`
    INSERT_AFTER = "insert_after"  # `text` becomes a new line after `line`
    DELETE = "delete"  # lines `line` to `end` go


@dataclass(frozen=True)
class _Edit:
    line: int  # 0-based line index
    kind: _Kind
    column: int = 0  # 0-based, for "replace"
    text: str = ""
    end: int = 0  # last line (0-based, inclusive) for "delete"


def _own(pos: Pos, source: CampaignSource, what: str) -> Pos:
    if pos.file != source.path:
        raise CannotEdit(f"{what} comes from {pos.file}, which other campaigns may share")
    return pos


def _step_nodes(source: CampaignSource, step_index: int) -> tuple[PosDict, PosList]:
    sequence = source.data.get("sequence")
    if not isinstance(sequence, PosList):
        raise CannotEdit("the sequence is not a list in the file")
    step = sequence[step_index]
    variants = step.get("variants") if isinstance(step, PosDict) else None
    if not isinstance(step, PosDict) or not isinstance(variants, PosList):
        raise CannotEdit("the step has no variant list")
    _own(step.key_pos["variants"], source, "the variant list")
    return step, variants


def _variant(variants: PosList, index: int, source: CampaignSource) -> PosDict:
    node = variants[index]
    if not isinstance(node, PosDict):
        raise CannotEdit("a variant is not a mapping")
    label_key = _own(node.key_pos["label"], source, f"variant {node.get('label')}")
    if label_key.line == variants.item_pos[index].line and _is_flow(source, label_key):
        raise CannotEdit(f"variant {node.get('label')} is written in flow style ({{...}})")
    return node


def _file_lines(source: CampaignSource) -> list[str]:
    """The campaign's own file as it is now, line by line (what an edit applies to)."""
    return Path(source.path).read_text(encoding="utf-8").splitlines()


def _is_flow(source: CampaignSource, pos: Pos) -> bool:
    line = _file_lines(source)[pos.line - 1]
    return "{" in line[: pos.column - 1]


def _set_value(node: PosDict, key: str, value: str) -> _Edit:
    pos = node.value_pos[key]
    return _Edit(pos.line - 1, _Kind.REPLACE, pos.column - 1, value)


def _winner_to_100(
    step: PosDict, variants: PosList, winner: str, source: CampaignSource
) -> list[_Edit]:
    edits: list[_Edit] = []
    for index in range(len(variants)):
        node = _variant(variants, index, source)
        share = "100" if node.get("label") == winner else "0"
        if "percentage" in node:
            edits.append(_set_value(node, "percentage", share))
        else:
            key = node.key_pos["label"]
            edits.append(
                _Edit(
                    key.line - 1,
                    _Kind.INSERT_AFTER,
                    text=" " * (key.column - 1) + f"percentage: {share}",
                )
            )
    if "distribution" in step and step.get("distribution") != "percentage":
        _own(step.value_pos["distribution"], source, "the step's distribution")
        edits.append(_set_value(step, "distribution", "percentage"))
    return edits


def _block_end(lines: Sequence[str], start: int, indent: int) -> int:
    """The last line of the block that starts at `start` and whose content is indented at
    least `indent` spaces (blank lines inside count; trailing blank lines do not)."""
    last = start
    for i in range(start + 1, len(lines)):
        text = lines[i]
        if not text.strip():
            continue
        if len(text) - len(text.lstrip(" ")) < indent:
            break
        last = i
    return last


def _remove_losers(
    step: PosDict, variants: PosList, winner: str, source: CampaignSource, lines: Sequence[str]
) -> list[_Edit]:
    edits: list[_Edit] = []
    for index in range(len(variants)):
        node = _variant(variants, index, source)
        item = variants.item_pos[index]
        if node.get("label") == winner:
            if "percentage" in node:
                edits.append(_set_value(node, "percentage", "100"))
            continue
        edits.append(
            _Edit(
                item.line - 1, _Kind.DELETE, end=_block_end(lines, item.line - 1, item.column - 1)
            )
        )
    if "ab_test" in step:
        key = _own(step.key_pos["ab_test"], source, "the ab_test")
        edits.append(
            _Edit(key.line - 1, _Kind.DELETE, end=_block_end(lines, key.line - 1, key.column))
        )
    return edits


def promotion_edits(
    source: CampaignSource, step_index: int, winner: str, on_winner: OnWinner
) -> list[str]:
    """The campaign file's new lines after promoting `winner`; CannotEdit when unsafe."""
    lines = _file_lines(source)
    step, variants = _step_nodes(source, step_index)
    if on_winner is OnWinner.WINNER_TO_100:
        edits = _winner_to_100(step, variants, winner, source)
    else:
        edits = _remove_losers(step, variants, winner, source, lines)
    return _apply(lines, edits)


def _apply(lines: list[str], edits: list[_Edit]) -> list[str]:
    result = list(lines)
    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        if edit.kind is _Kind.REPLACE:
            text = result[edit.line]
            token = _SCALAR.match(text, edit.column)
            end = token.end() if token else edit.column
            result[edit.line] = text[: edit.column] + edit.text + text[end:]
        elif edit.kind is _Kind.INSERT_AFTER:
            result.insert(edit.line + 1, edit.text)
        else:
            del result[edit.line : edit.end + 1]
    return result
