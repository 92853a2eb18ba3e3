"""Read the requested part of a hierarchy subtree level by level, as plain rows grouped by parent id.

A root of the tree (County.townships, Query.township / village / grid) asks for what the query
selects below it; each level and relation is one statement of plain `.values()` rows (no ORM
objects), grouped by the parent's id. schema/units hangs them on the objects (`prefetched`) so the
nested fields resolve synchronously: graphql-core's cost per awaited field, not SQL, dominated a
county tree. Only downward links are read, and a link down from an object in the jurisdiction
stays in it (resolvers/permissions.py). A relation not selected is None, never an empty dict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.enums import Role
from models.select_any import select_any
from models.units import Grid, HouseholdGroup, JointMeeting, PartyGroup, Village
from resolvers.people.holders import Holding, PersonRow, holder_by_unit, people_by_unit, supervisions_by_township
from resolvers.selection import SelectionTree

Row = dict[str, Any]
VILLAGE_COLUMNS = ("code", "name", "kind", "households", "population", "groups")


@dataclass(slots=True)
class GridChildren:
    """Below grids, by grid id: the worker, household groups, and by household group id their heads."""

    workers: dict[int, PersonRow] | None = None
    household_groups: dict[int, list[Row]] | None = None
    heads: dict[int, PersonRow] | None = None


@dataclass(slots=True)
class VillageChildren:
    """Below villages, by village id: grids (and below them), party groups, and by party group id their leaders."""

    grids: dict[int, list[Row]] | None = None
    below_grids: GridChildren | None = None
    party_groups: dict[int, list[Row]] | None = None
    leaders: dict[int, PersonRow] | None = None


@dataclass(slots=True)
class TownshipChildren:
    """Below townships, by township id: the joint meeting (and conveners), the rotation, villages (and below)."""

    joint_meetings: dict[int, Row] | None = None
    conveners: dict[int, list[PersonRow]] | None = None
    supervision: dict[int, list[Holding]] | None = None
    villages: dict[int, list[Row]] | None = None
    below_villages: VillageChildren | None = None


async def _children(model: Any, key: str, parent_ids: Sequence[int], columns: Sequence[str]) -> dict[int, list[Row]]:
    """Children of many parents in code order, in one statement (the parent ids are one array parameter), by parent id."""
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in await select_any(model, ("id", key, *columns), key, parent_ids, order='"code"'):
        grouped[row[key]].append(row)
    return grouped


def _ids(grouped: dict[int, list[Row]]) -> list[int]:
    return [row["id"] for children in grouped.values() for row in children]


async def township_children(ids: Sequence[int], tree: SelectionTree, on: date) -> TownshipChildren:
    """What `tree` selects below these townships, role holders as of `on`."""
    found = TownshipChildren()
    if not ids:
        return found
    if "jointMeeting" in tree:
        rows = await JointMeeting.filter(township_id__in=ids).values("township_id", "established_on")
        found.joint_meetings = {row["township_id"]: row for row in rows}
        if "conveners" in tree["jointMeeting"]:
            found.conveners = await people_by_unit(key="township_id", unit_ids=ids, on=on)
    if "supervisor" in tree:
        found.supervision = await supervisions_by_township(ids)
    if "villages" in tree:
        found.villages = await _children(Village, "township_id", ids, VILLAGE_COLUMNS)
        found.below_villages = await village_children(_ids(found.villages), tree["villages"], on)
    return found


async def village_children(ids: Sequence[int], tree: SelectionTree, on: date) -> VillageChildren:
    """What `tree` selects below these villages, role holders as of `on`."""
    found = VillageChildren()
    if not ids:
        return found
    if "grids" in tree:
        found.grids = await _children(Grid, "village_id", ids, ("code", "name"))
        found.below_grids = await grid_children(_ids(found.grids), tree["grids"], on)
    if "partyGroups" in tree:
        found.party_groups = await _children(PartyGroup, "village_id", ids, ("code", "name"))
        if "leader" in tree["partyGroups"]:
            found.leaders = await holder_by_unit(
                role=Role.PARTY_GROUP_LEADER, key="party_group_id", unit_ids=_ids(found.party_groups), on=on
            )
    return found


async def grid_children(ids: Sequence[int], tree: SelectionTree, on: date) -> GridChildren:
    """What `tree` selects below these grids, role holders as of `on`."""
    found = GridChildren()
    if not ids:
        return found
    if "worker" in tree:
        found.workers = await holder_by_unit(role=Role.GRID_WORKER, key="grid_id", unit_ids=ids, on=on)
    if "householdGroups" in tree:
        found.household_groups = await _children(HouseholdGroup, "grid_id", ids, ("code", "households"))
        if "head" in tree["householdGroups"]:
            found.heads = await holder_by_unit(
                role=Role.HOUSEHOLD_HEAD, key="household_group_id", unit_ids=_ids(found.household_groups), on=on
            )
    return found
