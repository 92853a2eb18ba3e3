"""The requested sub-selection as a tree of field names, so a resolver can prefetch only what a query asks for."""

from __future__ import annotations

from collections.abc import Iterable

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
