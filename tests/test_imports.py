"""Imports flow one way: models → rules → core → resolvers → schema → server (README, issue 16).

A package may import the ones before it in `LAYERS` and never one after it, so a reader who
follows the imports never walks in a circle. The check reads the source (AST), so imports under
`if TYPE_CHECKING:` and inside functions count like any other: a dependency is a dependency.
Imports inside functions (the usual way to dodge a cycle) are forbidden outright, except in the
files still listed in `FUNCTION_IMPORTS_ALLOWED`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAYERS = ("models", "rules", "core", "resolvers", "schema", "server")

# Upward imports tolerated, as (importer, imported) layers: none since the schema/resolvers split.
ALLOWED_UPWARD: frozenset[tuple[str, str]] = frozenset()

# Files that still import inside functions: only the report formats, each renderer (openpyxl for XLSX)
# imported when its format is asked for. The list only ever shrinks.
FUNCTION_IMPORTS_ALLOWED = frozenset({
    "server/reports/formats/__init__.py",
})


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for layer in LAYERS:
        for path in sorted((REPO / layer).rglob("*.py")):
            yield path.relative_to(REPO).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [node.module or ""] if node.level == 0 else []


def _imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement, and whether it sits inside a function."""
    in_functions: set[int] = set()
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_functions.update(id(n) for n in ast.walk(function) if isinstance(n, (ast.Import, ast.ImportFrom)))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, id(node) in in_functions


def upward_imports() -> list[str]:
    """`file:line imports module` for each import of a later layer (beyond `ALLOWED_UPWARD`)."""
    found = []
    for path, tree in _sources():
        layer = path.split("/", 1)[0]
        for node, _ in _imports(tree):
            for module in _imported(node):
                target = module.split(".", 1)[0]
                if target in LAYERS and LAYERS.index(target) > LAYERS.index(layer) and (layer, target) not in ALLOWED_UPWARD:
                    found.append(f"{path}:{node.lineno} imports {module}")
    return found


def function_imports() -> dict[str, list[int]]:
    """Lines of imports inside functions, by file."""
    found: dict[str, list[int]] = {}
    for path, tree in _sources():
        lines = [node.lineno for node, inside in _imports(tree) if inside]
        if lines:
            found[path] = lines
    return found


def test_no_layer_imports_a_later_one() -> None:
    assert upward_imports() == [], f"imports must flow {' → '.join(LAYERS)}"


def test_no_imports_inside_functions_outside_the_shrinking_list() -> None:
    found = function_imports()
    assert {path: lines for path, lines in found.items() if path not in FUNCTION_IMPORTS_ALLOWED} == {}
    assert sorted(FUNCTION_IMPORTS_ALLOWED - found.keys()) == [], "clean now: remove from FUNCTION_IMPORTS_ALLOWED"
