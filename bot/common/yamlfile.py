"""Reading YAML files while remembering the line of every key and list item.

Curators fix what they can locate, so every problem found in a knowledge file is
reported as ``file:line``. PyYAML's plain ``safe_load`` forgets positions; here the
document is composed once into nodes, the line of each path is recorded, and the
nodes are then constructed into ordinary Python values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.common.errors import KbIssue

PathKey = tuple[str | int, ...]


@dataclass
class YamlFile:
    """A parsed YAML file: its data and the 1-based line of each path in it."""

    name: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def issue(self, path: PathKey, message: str) -> KbIssue:
        return KbIssue(self.name, self.line_of(path), message)


# libyaml's parser (in PyYAML's wheels) composes the same nodes, with the same marks,
# about ten times as fast as the pure-Python one: loading the knowledge base is most of
# what `python -m bot ask` costs.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, display_name: str | None = None) -> tuple[YamlFile | None, list[KbIssue]]:
    """Parse ``path``. A malformed file gives an issue with its line, never an exception."""
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [KbIssue(name, 1, f"not valid UTF-8 ({exc.reason})")]
    except OSError as exc:
        return None, [KbIssue(name, 1, f"cannot read file: {exc.strerror}")]
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> tuple[YamlFile | None, list[KbIssue]]:
    """Parse ``text`` (the contents of file ``name``), as ``read_yaml`` does."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return YamlFile(name, None, {(): 1}), []
            issues: list[KbIssue] = []
            lines: dict[PathKey, int] = {(): node.start_mark.line + 1}
            _index(node, (), lines, issues, name)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "malformed YAML"
        return None, [KbIssue(name, line, f"YAML syntax error: {problem}")]
    except yaml.YAMLError as exc:
        return None, [KbIssue(name, 1, f"YAML error: {exc}")]
    return YamlFile(name, data, lines), issues


def _index(
    node: yaml.Node,
    path: PathKey,
    lines: dict[PathKey, int],
    issues: list[KbIssue],
    name: str,
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                # PyYAML keeps the last value silently; a curator would lose an edit.
                issues.append(KbIssue(name, line, f"duplicate key {key!r}"))
            seen.add(key)
            lines[(*path, key)] = line
            _index(value_node, (*path, key), lines, issues, name)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            _index(item, (*path, i), lines, issues, name)
