"""Read YAML into plain dicts and lists that remember where every key and value came from.

Safe by construction: only mappings, sequences and scalars are built; no Python objects.
Plain scalars follow the YAML 1.2 core schema, so `9:00` stays text (YAML 1.1 reads it as 540)
and `no`/`on` stay text. Duplicate keys are errors. Positions survive merging, so a problem
found after `extends:` and defaults are applied still points at the right file and line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from smartlead_sync.desired.positions import Pos, PosDict, PosList
from smartlead_sync.errors import Problem

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR = "tag:yaml.org,2002:str"
_PLAIN = "tag:smartlead-sync,2025:plain"  # an untagged plain scalar: typed by `plain_scalar`


class _NoImplicitLoader(_Loader):  # type: ignore[valid-type,misc]
    """Tags untagged plain scalars `_PLAIN` so that `plain_scalar` applies the YAML 1.2 core
    schema, while an explicit `!!str 5` stays the text "5"."""

    yaml_implicit_resolvers: dict[Any, Any] = {}

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        resolved: str = super().resolve(kind, value, implicit)
        return resolved


_TYPED_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_SPECIAL: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".inf": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    ".Inf": float("inf"),
    ".nan": float("nan"),
    ".NaN": float("nan"),
}


def plain_scalar(text: str) -> Any:
    """The value of an unquoted YAML scalar under the YAML 1.2 core schema."""
    if text in _SPECIAL:
        return _SPECIAL[text]
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    return text


class _Builder:
    def __init__(self, display: str) -> None:
        self.display = display
        self.problems: list[Problem] = []
        self._done: dict[int, Any] = {}
        self._active: set[int] = set()

    def pos(self, node: yaml.Node) -> Pos:
        mark = node.start_mark
        style = getattr(node, "style", None)
        return Pos(self.display, mark.line + 1, mark.column + 1, style in ("|", ">"))

    def build(self, node: yaml.Node) -> Any:
        key = id(node)
        if key in self._done:  # an alias: share the value instead of expanding it again
            return self._done[key]
        if key in self._active:
            self.problems.append(self.pos(node).problem("recursive YAML alias"))
            return None
        self._active.add(key)
        try:
            value = self._build(node)
        finally:
            self._active.discard(key)
        self._done[key] = value
        return value

    def _build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            seq = PosList(self.pos(node))
            for item in node.value:
                seq.add(self.build(item), self.pos(item))
            return seq
        assert isinstance(node, yaml.MappingNode)
        mapping = PosDict(self.pos(node))
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(self.pos(key_node).problem("a key must be a plain value"))
                continue
            key = self._scalar(key_node)
            if key == "<<" and key_node.style in (None, ""):
                self.problems.append(
                    self.pos(key_node).problem(
                        "YAML merge keys (<<) are not supported", hint="use `extends:` instead"
                    )
                )
                continue
            if key in mapping:
                first = mapping.key_pos[key]
                self.problems.append(
                    self.pos(key_node).problem(
                        f"duplicate key {key!r} (first defined at line {first.line})",
                        code="duplicate-key",
                    )
                )
                continue
            mapping.put(key, self.build(value_node), self.pos(key_node), self.pos(value_node))
        return mapping

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        text: str = node.value
        if node.tag == _PLAIN:
            return plain_scalar(text)
        if node.tag == _STR:
            return text
        if node.tag in _TYPED_TAGS:
            return plain_scalar(text)
        self.problems.append(self.pos(node).problem(f"unsupported YAML tag {node.tag}"))
        return None


def read_yaml(data: bytes, display: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML file's bytes. Never raises: malformed input becomes a located Problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8 text (bad byte 0x{data[exc.start]:02x} in this line)"
        return None, [Problem(message, display, line, hint=_encoding_hint(data))]
    return parse_yaml(text, display)


def _encoding_hint(data: bytes) -> str:
    # UTF-16 without a byte-order mark: every other byte of ASCII text is NUL.
    if data[:200].count(b"\x00") * 3 >= min(len(data), 200):
        return "the file looks like UTF-16 text: save it as UTF-8"
    return "save the file as UTF-8"


def parse_yaml(text: str, display: str) -> tuple[Any, list[Problem]]:
    try:
        node = yaml.compose(text, Loader=_NoImplicitLoader)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as NUL
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"a control character (U+{char:04X}) that YAML does not allow"
        hint = _encoding_hint(text.encode("utf-8", "replace"))
        if char != 0:
            hint = "remove it (it is invisible in most editors)"
        return None, [Problem(message, display, line, hint=hint)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, display)]
    except yaml.YAMLError as exc:
        return None, [Problem(f"YAML syntax: {exc}", display)]
    except RecursionError:
        return None, [_too_deep(display)]
    if node is None:
        return None, []
    builder = _Builder(display)
    try:
        value = builder.build(node)
    except RecursionError:
        return None, [_too_deep(display)]
    return value, builder.problems


# What a value left open at the end of the file is called, and how it is closed; keyed by the
# parser's context ("while scanning a quoted scalar").
_UNCLOSED = {
    "quoted scalar": ("the quoted value starting here is never closed", "add the closing {char}"),
    "flow sequence": ("the [ list starting here is never closed", "add the closing ]"),
    "flow mapping": ("the { mapping starting here is never closed", "add the closing }"),
}


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    """A YAML syntax error at a line that exists: a value still open when the file ends is
    reported where it starts, and no location points past the file's last line."""
    mark = exc.problem_mark or exc.context_mark
    message = f"YAML syntax: {exc.problem or exc.context}"
    if mark is None:
        return Problem(message, display)
    if mark.index < len(text.rstrip()):
        runaway = _runaway_quote(text, mark.index, mark.line)
        if runaway is not None:
            return _runaway_problem(runaway, text, display, mark.line)
        return Problem(message, display, mark.line + 1, mark.column + 1)
    opened = exc.context_mark
    for construct, (what, fix) in _UNCLOSED.items():
        if opened is not None and construct in (exc.context or ""):
            char = text[opened.index] if text[opened.index : opened.index + 1] == "'" else '"'
            return Problem(
                f"YAML syntax: {what}",
                display,
                opened.line + 1,
                opened.column + 1,
                hint=fix.replace("{char}", char),
            )
    lines = text.rstrip().splitlines() or [""]
    hint = "the file ends in the middle of a value: look for a missing quote or bracket"
    return Problem(message, display, len(lines), len(lines[-1]) + 1, hint=hint)


# A line a quoted value swallowed that reads like the next key (`status: drafted`, `- a: 1`).
_KEY_LINE = re.compile(r"^\s*(?:-\s+)?[\w.-]+:(?:\s|$)")


def _runaway_quote(text: str, error_index: int, error_line: int) -> Any:
    """The quoted value most likely behind a syntax error further down: one that opened on an
    earlier line and ran on to a quote on a later one, ending on the error's line or
    swallowing lines that read like keys. None when there is none (the error is its own)."""
    suspect = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            start, end = token.start_mark, token.end_mark
            if start.index > error_index:
                break
            quoted = isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
            if not quoted or start.line == end.line or start.line >= error_line:
                continue
            swallowed = text[start.index : end.index].splitlines()[1:]
            if end.line == error_line or any(_KEY_LINE.match(line) for line in swallowed):
                suspect = token
    except yaml.YAMLError:
        pass  # the tokens before the scanner's own error were seen
    return suspect


def _runaway_problem(token: Any, text: str, display: str, error_line: int) -> Problem:
    start, end = token.start_mark, token.end_mark
    char = text[start.index]
    return Problem(
        f"YAML syntax: the quoted value starting here is not closed on its line, so YAML "
        f"read on to the next {char} (line {end.line + 1}) and stopped at line {error_line + 1}",
        display,
        start.line + 1,
        start.column + 1,
        hint=f"add the closing {char} at the end of line {start.line + 1}",
    )


def _too_deep(display: str) -> Problem:
    return Problem(
        "the YAML is nested too deeply to be a campaign file",
        display,
        hint="a campaign file is a few levels deep; check the file is the one you meant",
    )
