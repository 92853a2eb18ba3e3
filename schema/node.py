"""Global object identification: every object has an opaque `id` that `Query.node(id)` resolves (IDs: `core.global_ids`)."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="An object with a globally unique, opaque ID.")
class Node:
    id: strawberry.ID
