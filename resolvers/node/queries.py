"""`Query.node(id)`: find any object from its global ID through the same loaders as nested fields.

Returns domain data — the type name, the row and, for objects shown in local time, their township's
time zone; `schema.nodes` maps it to the API type.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from core.global_ids import from_global_id
from resolvers.alerts.loaders import AlertByIdLoader, RuleRunByIdLoader
from resolvers.cases.loaders import CaseByIdLoader
from resolvers.context import Context
from resolvers.meetings.loaders import MeetingByIdLoader
from resolvers.people.loaders import PersonByIdLoader
from resolvers.permissions import object_visible
from resolvers.units import loaders as units
from resolvers.visits.loaders import VisitByIdLoader


@dataclass(frozen=True)
class Found:
    """An object found by its global ID: its type name, its row and its local time zone (None: not shown in local time)."""

    type_name: str
    row: Any
    zone: ZoneInfo | None


async def _zone(context: Context, row: Any) -> ZoneInfo:
    return await context.zone_for_township(row.township_id)


async def _village_zone(context: Context, row: Any) -> ZoneInfo:
    village = await context.loader(units.VillageByIdLoader).load(row.village_id)
    return await context.zone_for_township(village.township_id) if village else context.default_zone


# type name → (loader, how to find the row's time zone when it is shown in local time)
_LOOKUPS: dict[str, tuple[type, Callable[[Context, Any], Awaitable[ZoneInfo]] | None]] = {
    "County": (units.CountyByIdLoader, None),
    "Township": (units.TownshipByIdLoader, None),
    "Village": (units.VillageByIdLoader, None),
    "Grid": (units.GridByIdLoader, None),
    "HouseholdGroup": (units.HouseholdGroupByIdLoader, None),
    "PartyGroup": (units.PartyGroupByIdLoader, None),
    "Person": (PersonByIdLoader, None),
    "Meeting": (MeetingByIdLoader, _zone),
    "Case": (CaseByIdLoader, _zone),
    "Alert": (AlertByIdLoader, None),
    "RuleRun": (RuleRunByIdLoader, None),
    "MediationVisit": (VisitByIdLoader, _village_zone),
}


async def find_node(context: Context, global_id: str) -> Found | None:
    """The object named by `global_id`; None when it does not exist or lies outside the viewer's jurisdiction."""
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] not in _LOOKUPS:
        return None
    loader, zone_of = _LOOKUPS[decoded[0]]
    row = await context.loader(loader).load(decoded[1])
    if row is None or not await object_visible(context, decoded[0], row):
        return None
    return Found(decoded[0], row, await zone_of(context, row) if zone_of else None)
