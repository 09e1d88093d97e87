"""The folder layout is the architecture: one package per layer, imports only downwards.

Every package under bot/ says in its docstring, on a ``May import:`` line, which other
layers it may import (``nothing`` for the bottom one). Every module's imports are read
with ``ast``, all of them: at the top, inside functions (the lazy ones) and under
``TYPE_CHECKING``. A layer importing one it may not, python-telegram-bot imported
outside ``bot.telegram``, a module outside every layer, or an import cycle between
modules fails here, with the file and line. The command line (``bot.cli``,
``bot.__main__``) sits above every layer and may import any of them.

The checker is tested too, on a small package made for the purpose, so that a rule it
stopped enforcing would show.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

BOT = Path(__file__).resolve().parents[1] / "bot"
# The modules above every layer, allowed to import any of them.
TOP = frozenset({"bot", "bot.cli", "bot.__main__"})
# Third-party packages only one layer may import: python-telegram-bot, bot.telegram.
RESTRICTED = {"telegram": "telegram"}
RULE = re.compile(r"^May import:(?P<rule>.*?)(?:\n[ \t]*\n|\Z)", re.M | re.S)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # what it imports: a module, a package, or a third-party name
    file: Path
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.module} imports {self.target}"


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root`` by its dotted name (a package by its own)."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = (root.name, *path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def rules(root: Path) -> dict[str, frozenset[str]]:
    """Each layer (a package directly under ``root``) and the layers it may import,
    read from its docstring's ``May import:`` line."""
    found: dict[str, frozenset[str]] = {}
    for init in sorted(root.glob("*/__init__.py")):
        layer = f"{root.name}.{init.parent.name}"
        docstring = ast.get_docstring(ast.parse(init.read_text())) or ""
        match = RULE.search(docstring)
        if match is None:
            raise AssertionError(f"{init}: the docstring has no 'May import:' line")
        rule = match["rule"].strip()
        named = frozenset(re.findall(rf"\b{root.name}\.\w+", rule))
        if not named and not rule.startswith("nothing"):
            raise AssertionError(f"{init}: 'May import:' names no layer and not 'nothing'")
        found[layer] = named
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> list[Import]:
    """Everything module ``name`` imports, anywhere in it. ``from a import b`` counts as
    importing module ``a.b`` when there is one, else ``a``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, path, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            targets = {
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
                for alias in node.names
            }
            found += [Import(name, target, path, node.lineno) for target in sorted(targets)]
    return found


def layer_of(module: str, layers: dict[str, frozenset[str]]) -> str | None:
    """The layer holding ``module``, None for the top modules."""
    for layer in layers:
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


def violations(root: Path) -> list[str]:
    """Every break of the rules in the package at ``root``, one line each."""
    known = modules(root)
    layers = rules(root)
    top = {f"{root.name}{suffix}" for suffix in ("", ".cli", ".__main__")}
    problems = [
        f"{path}: {module} belongs to no layer (move it into one of {sorted(layers)})"
        for module, path in known.items()
        if layer_of(module, layers) is None and module not in top
    ]
    for layer, allowed in layers.items():
        problems += [
            f"{layer} may import {name}, which is no layer" for name in allowed - {*layers}
        ]
    graph: dict[str, set[str]] = {module: set() for module in known}
    for module, path in known.items():
        home = layer_of(module, layers)
        for found in imports(module, path, known):
            first = found.target.split(".")[0]
            only = f"{root.name}.{RESTRICTED[first]}" if first in RESTRICTED else home
            if home != only:
                problems.append(f"{found}: only {only} may import {first}")
            if first != root.name:
                continue
            if found.target not in known:
                problems.append(f"{found}, which does not exist")
                continue
            graph[module].add(found.target)
            there = layer_of(found.target, layers)
            if home is None or there == home:
                continue
            if there is None or there not in layers[home]:
                problems.append(f"{found}: {home} may import only {sorted(layers[home])}")
    problems += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]
    rule_graph = {layer: set(allowed) & set(layers) for layer, allowed in layers.items()}
    problems += [f"the layers' rules go round: {' -> '.join(c)}" for c in cycles(rule_graph)]
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of nodes (Tarjan), if any; an
    import of a module by itself counts."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(_cycle_in(group, graph))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _cycle_in(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A path from the group's first node back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for successor in sorted(graph[node] & group):
            if successor == start:
                return [*paths[node], start]
            if successor not in paths:
                paths[successor] = [*paths[node], successor]
                queue.append(successor)
    raise AssertionError("a strongly connected group has a cycle")


# -- the bot ----------------------------------------------------------------------------


def test_every_layer_says_what_it_may_import() -> None:
    layers = rules(BOT)
    assert set(layers) >= {"bot.common", "bot.knowledge", "bot.telegram", "bot.terminal"}
    assert layers["bot.common"] == frozenset()
    assert "bot.telegram" not in set().union(*layers.values())  # no layer imports an adapter


def test_the_bot_keeps_its_layers_and_has_no_import_cycles() -> None:
    problems = violations(BOT)
    assert not problems, "\n".join(["", *problems])


def test_the_command_line_is_the_only_module_above_the_layers() -> None:
    layers = rules(BOT)
    assert {m for m in modules(BOT) if layer_of(m, layers) is None} == TOP


# -- the checker, on a made-up package -----------------------------------------------------


def make_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


LAYERS = {
    "pkg/__init__.py": "",
    "pkg/low/__init__.py": '"""Bottom.\n\nMay import: nothing.\n"""\n',
    "pkg/low/a.py": "import json\n",
    "pkg/mid/__init__.py": '"""Middle.\n\nMay import: pkg.low.\n"""\n',
    "pkg/mid/b.py": "from pkg.low import a\n",
    "pkg/telegram/__init__.py": '"""Adapter.\n\nMay import: pkg.low,\npkg.mid.\n"""\n',
    "pkg/telegram/c.py": "import telegram\nfrom pkg.mid.b import a\n",
    "pkg/cli.py": "from pkg.telegram import c\n",
}


def test_the_checker_passes_a_package_that_keeps_its_layers(tmp_path: Path) -> None:
    root = make_package(tmp_path, LAYERS) / "pkg"
    assert rules(root)["pkg.telegram"] == {"pkg.low", "pkg.mid"}  # a rule may run on
    assert violations(root) == []


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("pkg/low/a.py", "from pkg.mid import b\n", "pkg.low.a imports pkg.mid.b: pkg.low"),
        (
            "pkg/low/a.py",
            "def later():\n    import pkg.mid.b\n",
            "a.py:2: pkg.low.a imports pkg.mid.b: pkg.low may import only []",
        ),
        (
            "pkg/low/a.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.mid.b import x\n",
            "a.py:3: pkg.low.a imports pkg.mid.b: pkg.low may import only []",
        ),
        ("pkg/mid/b.py", "from ..telegram import c\n", "pkg.mid.b imports pkg.telegram.c"),
        ("pkg/mid/b.py", "from pkg import cli\n", "pkg.mid.b imports pkg.cli"),
        ("pkg/mid/b.py", "from telegram.ext import Application\n", "only pkg.telegram may"),
        ("pkg/mid/b.py", "from pkg.low.gone import x\n", "pkg.low.gone, which does not exist"),
        ("pkg/stray.py", "import json\n", "pkg.stray belongs to no layer"),
        ("pkg/low/a.py", "from pkg.low import a\n", "import cycle: pkg.low.a -> pkg.low.a"),
    ],
)
def test_the_checker_finds_each_kind_of_break(
    tmp_path: Path, file: str, text: str, expected: str
) -> None:
    root = make_package(tmp_path, {**LAYERS, file: text}) / "pkg"
    found = violations(root)
    assert any(expected in problem for problem in found), found


def test_the_checker_finds_a_cycle_through_lazy_imports(tmp_path: Path) -> None:
    root = (
        make_package(
            tmp_path,
            {
                **LAYERS,
                "pkg/low/a.py": "def later():\n    from pkg.low import d\n",
                "pkg/low/d.py": "from pkg.low.a import later\n",
            },
        )
        / "pkg"
    )
    assert violations(root) == ["import cycle: pkg.low.a -> pkg.low.d -> pkg.low.a"]


def test_the_checker_refuses_a_layer_without_a_rule_or_rules_that_go_round(
    tmp_path: Path,
) -> None:
    silent = make_package(tmp_path / "1", {**LAYERS, "pkg/mid/__init__.py": '"""Middle."""\n'})
    with pytest.raises(AssertionError, match="no 'May import:' line"):
        violations(silent / "pkg")
    circular = {**LAYERS, "pkg/low/__init__.py": '"""Bottom.\n\nMay import: pkg.mid.\n"""\n'}
    found = violations(make_package(tmp_path / "2", circular) / "pkg")
    assert found == ["the layers' rules go round: pkg.low -> pkg.mid -> pkg.low"]
