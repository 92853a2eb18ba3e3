"""`Query.node(id)`: the object `resolvers.node.queries.find_node` found, as its API type.

Separate from `schema.node` (the `Node` interface every type module imports) because it imports
every type module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from resolvers.node.queries import find_node
from schema import alerts, cases, meetings, people, rules, units, visits
from schema.node import Node

# type name → how its API object is built from (row) or, for objects in local time, (row, zone)
_TYPES: dict[str, Callable[..., Node]] = {
    "County": units.County.from_model,
    "Township": units.Township.from_model,
    "Village": units.Village.from_model,
    "Grid": units.Grid.from_model,
    "HouseholdGroup": units.HouseholdGroup.from_model,
    "PartyGroup": units.PartyGroup.from_model,
    "Person": people.Person.from_model,
    "Meeting": meetings.Meeting.from_model,
    "Case": cases.Case.from_model,
    "Alert": alerts.Alert.from_model,
    "RuleRun": rules.RuleRun.from_model,
    "MediationVisit": visits.MediationVisit.from_model,
}


def to_node(type_name: str, row: Any, zone: Any = None) -> Node:
    build = _TYPES[type_name]
    return build(row) if zone is None else build(row, zone)


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global ID; null when it does not exist or lies outside the token's jurisdiction.")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        found = await find_node(info.context, str(id))
        return None if found is None else to_node(found.type_name, found.row, found.zone)
