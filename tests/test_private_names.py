"""The library internals Lianxi relies on (tests/private_names.py) are all still there, with the same signatures, and the
code relies on no other: an upgrade of a pinned library that moves one fails here, naming it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.private_names import INTERNALS, OWN, Internal, assigned_on_self, problem, resolve

REPO = Path(__file__).resolve().parent.parent
SCANNED = ("models", "rules", "core", "resolvers", "schema", "server")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _files() -> Iterator[tuple[str, ast.Module]]:
    for layer in SCANNED:
        for path in sorted((REPO / layer).rglob("*.py")):
            yield path.relative_to(REPO).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _own_module(module: str) -> bool:
    return module.split(".", 1)[0] in OWN


def _library_names(tree: ast.Module) -> dict[str, str]:
    """Names bound by the module's imports of library modules: local name → "module" or "module:name"."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound.update((alias.asname or alias.name, alias.name) for alias in node.names if not _own_module(alias.name))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and not _own_module(node.module):
            bound.update((alias.asname or alias.name, f"{node.module}:{alias.name}") for alias in node.names)
    return bound


def _library_base(base: ast.expr, bound: dict[str, str]) -> type | None:
    """The library class a base expression (`MaskErrors`, `durable_engine.Ruleset`) names, or None."""
    parts: list[str] = []
    while isinstance(base, ast.Attribute):
        parts.insert(0, base.attr)
        base = base.value
    if not isinstance(base, ast.Name) or base.id not in bound:
        return None
    try:
        found = resolve(bound[base.id] + ("." if ":" in bound[base.id] else ":") + ".".join(parts) if parts else bound[base.id])
    except (ImportError, AttributeError):
        return None
    return found if isinstance(found, type) else None


def _subclass_names(tree: ast.Module) -> Iterator[str]:
    """Private names our classes (nested ones too) take from a library base: methods they override and attributes they
    read on `self` that the base defines."""
    bound = _library_names(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [found for base in node.bases if (found := _library_base(base, bound)) is not None]
        if not bases:
            continue
        names = {item.name for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and _private(item.name)}
        names |= {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute) and _private(n.attr)
                  and isinstance(n.value, ast.Name) and n.value.id == "self"}
        for name in sorted(names):
            if any(hasattr(base, name) or assigned_on_self(base, name) for base in bases):
                yield name


def private_uses() -> set[tuple[str, str]]:
    """(file, name) for every private name the code takes from a library: attributes read on objects other than `self`,
    names imported from library modules, keyword arguments, `getattr(x, "_name")`, and names a subclass overrides or
    reads from its library base."""
    found: set[tuple[str, str]] = set()
    for path, tree in _files():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                    found.add((path, node.attr))
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and not _own_module(node.module):
                found.update((path, alias.name) for alias in node.names if _private(alias.name))
            elif isinstance(node, ast.keyword) and node.arg and _private(node.arg):
                found.add((path, node.arg))
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr", "setattr")
                  and len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
                  and _private(node.args[1].value)):
                found.add((path, node.args[1].value))
        found.update((path, name) for name in _subclass_names(tree))
    return found


@pytest.mark.parametrize("entry", INTERNALS, ids=lambda entry: entry.label)
def test_each_internal_is_still_there_as_it_was(entry: Internal) -> None:
    assert problem(entry) is None, problem(entry)


def test_the_code_uses_no_private_name_the_list_does_not_name() -> None:
    listed = {(path, entry.name) for entry in INTERNALS for path in entry.used_in}
    unlisted = sorted(private_uses() - listed)
    assert unlisted == [], "list these in tests/private_names.py (owner, name, signature, files): " + ", ".join(
        f"{path}: {name}" for path, name in unlisted)


def test_the_list_names_no_file_that_no_longer_uses_it() -> None:
    """Entries shrink as the code stops relying on internals (files of kind-"attr" public members are not scanned)."""
    uses = private_uses()
    stale = sorted((path, entry.label) for entry in INTERNALS if _private(entry.name) for path in entry.used_in
                   if (path, entry.name) not in uses)
    assert stale == [], f"no longer used there: remove from tests/private_names.py: {stale}"
