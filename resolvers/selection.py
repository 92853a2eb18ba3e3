"""The requested sub-selection as a tree of field names, so a resolver can prefetch only what a query asks for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

from resolvers.syntax_memo import SyntaxMemo

# GraphQL field name → what is selected below it (fragments flattened, aliases merged).
SelectionTree = dict[str, "SelectionTree"]


_TREES: SyntaxMemo[SelectionTree] = SyntaxMemo()  # field nodes of a cached document → the tree below them


def _merge(tree: SelectionTree, selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
    # Fields, aliases and fragments merge into one name tree; over-fetching a skipped (@skip) field is harmless.
    for selection in selection_set.selections if selection_set is not None else ():
        if isinstance(selection, FieldNode):
            _merge(tree.setdefault(selection.name.value, {}), selection.selection_set, fragments)
        elif isinstance(selection, InlineFragmentNode):
            _merge(tree, selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            _merge(tree, fragments[selection.name.value].selection_set, fragments)


def below(info: Any) -> SelectionTree:
    """What is selected under the current field (a strawberry `Info`), aliases and fragments merged. Read-only: it is shared.

    Read from graphql-core's syntax tree (strawberry keeps it as `_raw_info`; it has no public accessor) and remembered
    per field nodes of the cached document: `info.selected_fields` converted the whole subtree, arguments and
    directives included, on every request (3 % of a township dashboard's CPU).
    """
    raw = info._raw_info
    nodes = tuple(raw.field_nodes)
    found, known = _TREES.get(nodes)
    if found:
        return known  # type: ignore[return-value]
    tree: SelectionTree = {}
    for node in nodes:
        _merge(tree, node.selection_set, raw.fragments)
    _TREES.put(nodes, tree)
    return tree


def selects_below_scalars(info: Any) -> bool:
    """Does the query select anything but scalars below the current field (a strawberry `Info`)?

    Read from graphql-core's syntax tree (strawberry keeps it as `_raw_info`; it has no public accessor), which is
    cheap; `info.selected_fields` converts it first. Fragments count as "yes" (they may select relations), so a
    False is certain.
    """
    field_nodes: Iterable[FieldNode] = info._raw_info.field_nodes
    for node in field_nodes:
        for selection in node.selection_set.selections if node.selection_set else ():
            if not isinstance(selection, FieldNode) or selection.selection_set is not None:
                return True
    return False
