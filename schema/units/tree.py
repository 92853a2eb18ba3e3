"""Hang a prefetched subtree on the objects: the roots County.townships and Query.township / village / grid.

resolvers/units/tree.py reads what a query selects below a root as plain rows grouped by parent id;
this maps them to the types and puts them in each object's `prefetched`, where the relation fields
(and server/fastpath/lean_fields.py) find them. Role holders are those in office today in the county's zone.
schema/units/__init__.py imports this module before `types` (which reads it at call time).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from strawberry.types import Info

from models import units as rows
from resolvers.context import Context
from resolvers.selection import below, selects_below_scalars
from resolvers.units import tree as subtree
from resolvers.units.queries import today_at
from schema import people
from schema.units.types import Grid, HouseholdGroup, JointMeeting, PartyGroup, Township, Village

if TYPE_CHECKING:
    from schema.people import Person


def _prefetched(obj: Township | Village | Grid | HouseholdGroup | PartyGroup | JointMeeting) -> dict[str, Any]:
    if obj.prefetched is None:
        obj.prefetched = {}
    return obj.prefetched


def _person(row: Mapping[str, Any] | None) -> Person | None:
    return people.Person.from_values(row) if row is not None else None


async def townships_with_subtree(info: Info[Context, None], found: Sequence[rows.Township]) -> list[Township]:
    """Townships (of one county) with what the query selects below them hung on."""
    townships = [Township.from_model(row) for row in found]
    if townships:
        on = await today_at(info.context, townships[0].code)
        _hang_townships(townships, await subtree.township_children([t.db_id for t in townships], below(info), on))
    return townships


async def village_with_subtree(info: Info[Context, None], row: rows.Village) -> Village:
    village = Village.from_model(row)
    if not selects_below_scalars(info):
        return village  # nothing to prefetch (a village's own fields only)
    on = await today_at(info.context, village.code)
    _hang_villages([village], await subtree.village_children([village.db_id], below(info), on))
    return village


async def grid_with_subtree(info: Info[Context, None], row: rows.Grid) -> Grid:
    grid = Grid.from_model(row)
    if not selects_below_scalars(info):
        return grid
    _hang_grids([grid], await subtree.grid_children([grid.db_id], below(info), await today_at(info.context, grid.code)))
    return grid


def _hang_townships(townships: list[Township], found: subtree.TownshipChildren) -> None:
    if found.joint_meetings is not None:
        for township in townships:
            row, meeting = found.joint_meetings.get(township.db_id), None
            if row is not None:
                meeting = JointMeeting(established_on=row["established_on"], township_db_id=township.db_id,
                                       township_code=township.code, prefetched={})
                if found.conveners is not None:
                    _prefetched(meeting)["conveners"] = [people.Person.from_values(p) for p in found.conveners.get(township.db_id, [])]
            _prefetched(township)["jointMeeting"] = meeting
    if found.supervision is not None:
        for township in townships:
            _prefetched(township)["supervision"] = found.supervision.get(township.db_id, [])
    if found.villages is not None:
        villages: list[Village] = []
        for township in townships:
            children = [Village.from_values(row) for row in found.villages.get(township.db_id, [])]
            _prefetched(township)["villages"] = children
            villages += children
        if found.below_villages is not None:
            _hang_villages(villages, found.below_villages)


def _hang_villages(villages: list[Village], found: subtree.VillageChildren) -> None:
    if found.grids is not None:
        grids: list[Grid] = []
        for village in villages:
            children = [Grid.from_values(row) for row in found.grids.get(village.db_id, [])]
            _prefetched(village)["grids"] = children
            grids += children
        if found.below_grids is not None:
            _hang_grids(grids, found.below_grids)
    if found.party_groups is not None:
        for village in villages:
            party = [PartyGroup.from_values(row) for row in found.party_groups.get(village.db_id, [])]
            _prefetched(village)["partyGroups"] = party
            if found.leaders is not None:
                for group in party:
                    _prefetched(group)["leader"] = _person(found.leaders.get(group.db_id))


def _hang_grids(grids: list[Grid], found: subtree.GridChildren) -> None:
    for grid in grids:
        if found.workers is not None:
            _prefetched(grid)["worker"] = _person(found.workers.get(grid.db_id))
        if found.household_groups is not None:
            households = [HouseholdGroup.from_values(row) for row in found.household_groups.get(grid.db_id, [])]
            _prefetched(grid)["householdGroups"] = households
            if found.heads is not None:
                for group in households:
                    _prefetched(group)["head"] = _person(found.heads.get(group.db_id))
