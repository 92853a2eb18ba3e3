"""Global object identification: every object has an opaque `id` that `Query.node(id)` resolves (IDs: `core.global_ids`).

The id is computed from the row's key when it is selected, not when the object is built: a county tree or a page of
meetings with attendees builds thousands of objects whose `id` nobody asked for. server/fastpath/lean_fields.py marks this
resolver so the lean path computes it the same way without calling it.
"""

from __future__ import annotations

import strawberry

from core.global_ids import to_global_id


@strawberry.interface(description="An object with a globally unique, opaque ID.")
class Node:
    db_id: strawberry.Private[int]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id(type(self).__strawberry_definition__.name, self.db_id)  # type: ignore[attr-defined]


def is_global_id(resolver: object) -> bool:
    """Whether a field's strawberry resolver is `Node.id` (inherited by every node type)."""
    return getattr(resolver, "wrapped_func", None) is _NODE_ID


_NODE_ID = next(f for f in Node.__strawberry_definition__.fields if f.name == "id").base_resolver.wrapped_func  # type: ignore[attr-defined, union-attr]
