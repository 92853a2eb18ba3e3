"""The requested sub-selection as a tree of field names, so a resolver can prefetch only what a query asks for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import FieldNode
from strawberry.types.nodes import FragmentSpread, InlineFragment, Selection, SelectedField

# GraphQL field name → what is selected below it (fragments flattened, aliases merged).
SelectionTree = dict[str, "SelectionTree"]


def _merge(tree: SelectionTree, selections: Iterable[Selection]) -> None:
    # Fields, aliases and fragments merge into one name tree; over-fetching a skipped (@skip) field is harmless.
    for selection in selections:
        if isinstance(selection, SelectedField):
            _merge(tree.setdefault(selection.name, {}), selection.selections)
        elif isinstance(selection, (FragmentSpread, InlineFragment)):
            _merge(tree, selection.selections)


def below(selected: Iterable[Selection]) -> SelectionTree:
    """What is selected under the current field(s) (`info.selected_fields`), aliases and fragments merged."""
    tree: SelectionTree = {}
    for selection in selected:
        if isinstance(selection, SelectedField):
            _merge(tree, selection.selections)
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
