"""Values that remember where they were written: the file, line and column of every key and value.

Built by yamlsource.py, carried through overlays, and used by the loader and the checks to put
`file:line:column` on every problem. No YAML here: the checks use this without the parser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from smartlead_sync.errors import Problem, Severity


@dataclass(frozen=True, slots=True)
class Pos:
    """Where a value starts. `block` marks `|`/`>` scalars, whose text begins on the next line."""

    file: str
    line: int  # 1-based
    column: int  # 1-based
    block: bool = False

    def problem(
        self,
        message: str,
        *,
        hint: str | None = None,
        code: str = "invalid",
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        return Problem(message, self.file, self.line, self.column, severity, code, hint)

    def line_of(self, text: str, offset: int) -> int:
        """Line of character `offset` inside this scalar's text (exact for block scalars)."""
        if not self.block:
            return self.line
        return self.line + 1 + text.count("\n", 0, offset)


class PosDict(dict[Any, Any]):
    """A mapping with the position of the mapping, of each key and of each value."""

    __slots__ = ("key_pos", "pos", "value_pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[Any, Pos] = {}
        self.value_pos: dict[Any, Pos] = {}

    def put(self, key: Any, value: Any, key_pos: Pos, value_pos: Pos) -> None:
        self[key] = value
        self.key_pos[key] = key_pos
        self.value_pos[key] = value_pos


class PosList(list[Any]):
    """A sequence with the position of the sequence and of each item."""

    __slots__ = ("item_pos", "pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []

    def add(self, value: Any, pos: Pos) -> None:
        self.append(value)
        self.item_pos.append(pos)


def locate(data: Any, loc: Sequence[int | str], fallback: Pos) -> Pos:
    """Position of the value at `loc` (a pydantic error location), or of its nearest parent."""
    pos = getattr(data, "pos", fallback)
    node = data
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(node, PosDict) and part in node:
            pos, node = node.value_pos[part], node[part]
        elif isinstance(node, PosList) and isinstance(part, int) and 0 <= part < len(node):
            pos, node = node.item_pos[part], node[part]
        else:
            if isinstance(node, PosDict) and str(part) in node.key_pos:
                return node.key_pos[str(part)]
            break
    return pos


def locate_key(data: Any, loc: Sequence[int | str], fallback: Pos) -> Pos:
    """Position of the key at the end of `loc` (for unknown keys), else of its value."""
    if loc:
        parent_pos = locate(data, loc[:-1], fallback)
        node = data
        for part in loc[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return parent_pos
        if isinstance(node, PosDict) and loc[-1] in node.key_pos:
            return node.key_pos[loc[-1]]
    return locate(data, loc, fallback)
