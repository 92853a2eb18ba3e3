"""`Query.node(id)`: resolve any object from its global ID through the same loaders as nested fields."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers.alerts.loaders import AlertByIdLoader, RuleRunByIdLoader
from resolvers.cases.loaders import CaseByIdLoader
from resolvers.context import Context
from resolvers.permissions import object_visible
from resolvers.meetings.loaders import MeetingByIdLoader
from resolvers.people.loaders import PersonByIdLoader
from resolvers.units import loaders as units
from resolvers.visits.loaders import VisitByIdLoader
from schema import alerts, cases, meetings, people, rules, visits
from schema import units as unit_types
from schema.node import Node
from core.global_ids import from_global_id


async def _zone(info: Info[Context, None], row: Any) -> Any:
    return await info.context.zone_for_township(row.township_id)


async def _village_zone(info: Info[Context, None], row: Any) -> Any:
    village = await info.context.loader(units.VillageByIdLoader).load(row.village_id)
    return await info.context.zone_for_township(village.township_id) if village else info.context.default_zone


# type name → (loader, how to build the API object, whether it needs the township's time zone)
_NODES: dict[str, tuple[type, Callable[..., Any], Callable[[Info[Context, None], Any], Awaitable[Any]] | None]] = {
    "County": (units.CountyByIdLoader, unit_types.County.from_model, None),
    "Township": (units.TownshipByIdLoader, unit_types.Township.from_model, None),
    "Village": (units.VillageByIdLoader, unit_types.Village.from_model, None),
    "Grid": (units.GridByIdLoader, unit_types.Grid.from_model, None),
    "HouseholdGroup": (units.HouseholdGroupByIdLoader, unit_types.HouseholdGroup.from_model, None),
    "PartyGroup": (units.PartyGroupByIdLoader, unit_types.PartyGroup.from_model, None),
    "Person": (PersonByIdLoader, people.Person.from_model, None),
    "Meeting": (MeetingByIdLoader, meetings.Meeting.from_model, _zone),
    "Case": (CaseByIdLoader, cases.Case.from_model, _zone),
    "Alert": (AlertByIdLoader, alerts.Alert.from_model, None),
    "RuleRun": (RuleRunByIdLoader, rules.RuleRun.from_model, None),
    "MediationVisit": (VisitByIdLoader, visits.MediationVisit.from_model, _village_zone),
}


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global ID; null when it does not exist or lies outside the token's jurisdiction.")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        decoded = from_global_id(id)
        if decoded is None or decoded[0] not in _NODES:
            return None
        loader, build, zone_of = _NODES[decoded[0]]
        row = await info.context.loader(loader).load(decoded[1])
        if row is None or not await object_visible(info, decoded[0], row):
            return None
        return build(row, await zone_of(info, row)) if zone_of else build(row)
