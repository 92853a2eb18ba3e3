"""Prefetch the requested part of a hierarchy subtree level by level, so nested fields resolve synchronously.

A root of the tree (County.townships, Query.township / village / grid) reads what the query selects
below it with one statement per level and relation, as plain `.values()` rows, and hangs the
children on each object's `prefetched`. Nested resolvers then return values instead of awaitables:
graphql-core's cost per awaited field, not SQL, dominated a county tree. Only downward links are
prefetched, and a link down from an object in the jurisdiction stays in it (resolvers/permissions.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import Selection

from models.enums import Role
from models.units import Grid as GridRow
from models.units import HouseholdGroup as HouseholdGroupRow
from models.units import JointMeeting as JointMeetingRow
from models.units import PartyGroup as PartyGroupRow
from models.units import Village as VillageRow
from resolvers.context import Context
from resolvers.loading import rows_any
from resolvers.people.holders import holder_by_unit, people_by_unit, supervisions_by_township
from resolvers.selection import SelectionTree, below
from schema.units import Grid, HouseholdGroup, JointMeeting, PartyGroup, Township, Village, today_in


async def _rows(model: Any, key: str, parent_ids: Sequence[int], columns: Sequence[str]) -> list[dict[str, Any]]:
    """Children of many parents in code order, in one statement (the parent ids are one array parameter)."""
    return await rows_any(model, key, parent_ids, ("id", key, *columns), order='"code"')


def _group(rows: list[dict[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _prefetched(obj: Township | Village | Grid | HouseholdGroup | PartyGroup | JointMeeting) -> dict[str, Any]:
    if obj.prefetched is None:
        obj.prefetched = {}
    return obj.prefetched


async def prefetch_townships(info: Info[Context, None], townships: list[Township], selected: Iterable[Selection]) -> None:
    """Hang joint meetings (and conveners), the rotation and villages (and below) on the townships, as selected."""
    tree, today = below(selected), today_in(info)
    ids = [t.db_id for t in townships]
    if not ids:
        return
    if "jointMeeting" in tree:
        rows = {r["township_id"]: r for r in await JointMeetingRow.filter(township_id__in=ids).values("township_id", "established_on")}
        conveners = await people_by_unit(key="township_id", unit_ids=ids, on=today) if "conveners" in tree["jointMeeting"] else None
        for township in townships:
            row = rows.get(township.db_id)
            meeting = None
            if row is not None:
                meeting = JointMeeting(established_on=row["established_on"], township_db_id=township.db_id, prefetched={})
                if conveners is not None:
                    _prefetched(meeting)["conveners"] = conveners.get(township.db_id, [])
            _prefetched(township)["jointMeeting"] = meeting
    if "supervisor" in tree:
        supervision = await supervisions_by_township(ids)
        for township in townships:
            _prefetched(township)["supervision"] = supervision.get(township.db_id, [])
    if "villages" in tree:
        columns = ("code", "name", "kind", "households", "population", "groups")
        grouped = _group(await _rows(VillageRow, "township_id", ids, columns), "township_id")
        villages: list[Village] = []
        for township in townships:
            children = [Village.from_values(row) for row in grouped.get(township.db_id, [])]
            _prefetched(township)["villages"] = children
            villages += children
        await _prefetch_villages(villages, tree["villages"], today)


async def prefetch_villages(info: Info[Context, None], villages: list[Village], selected: Iterable[Selection]) -> None:
    """Hang grids (and below) and party groups (and leaders) on the villages, as selected."""
    await _prefetch_villages(villages, below(selected), today_in(info))


async def prefetch_grids(info: Info[Context, None], grids: list[Grid], selected: Iterable[Selection]) -> None:
    """Hang workers and household groups (and heads) on the grids, as selected."""
    await _prefetch_grids(grids, below(selected), today_in(info))


async def _prefetch_villages(villages: list[Village], tree: SelectionTree, today: date) -> None:
    ids = [v.db_id for v in villages]
    if not ids:
        return
    if "grids" in tree:
        grouped = _group(await _rows(GridRow, "village_id", ids, ("code", "name")), "village_id")
        grids: list[Grid] = []
        for village in villages:
            children = [Grid.from_values(row) for row in grouped.get(village.db_id, [])]
            _prefetched(village)["grids"] = children
            grids += children
        await _prefetch_grids(grids, tree["grids"], today)
    if "partyGroups" in tree:
        grouped = _group(await _rows(PartyGroupRow, "village_id", ids, ("code", "name")), "village_id")
        groups: list[PartyGroup] = []
        for village in villages:
            party = [PartyGroup.from_values(row) for row in grouped.get(village.db_id, [])]
            _prefetched(village)["partyGroups"] = party
            groups += party
        if "leader" in tree["partyGroups"]:
            leaders = await holder_by_unit(
                role=Role.PARTY_GROUP_LEADER, key="party_group_id", unit_ids=[g.db_id for g in groups], on=today
            )
            for group in groups:
                _prefetched(group)["leader"] = leaders.get(group.db_id)


async def _prefetch_grids(grids: list[Grid], tree: SelectionTree, today: date) -> None:
    ids = [g.db_id for g in grids]
    if not ids:
        return
    if "worker" in tree:
        workers = await holder_by_unit(role=Role.GRID_WORKER, key="grid_id", unit_ids=ids, on=today)
        for grid in grids:
            _prefetched(grid)["worker"] = workers.get(grid.db_id)
    if "householdGroups" in tree:
        grouped = _group(await _rows(HouseholdGroupRow, "grid_id", ids, ("code", "households")), "grid_id")
        households: list[HouseholdGroup] = []
        for grid in grids:
            children = [HouseholdGroup.from_values(row) for row in grouped.get(grid.db_id, [])]
            _prefetched(grid)["householdGroups"] = children
            households += children
        if "head" in tree["householdGroups"]:
            heads = await holder_by_unit(
                role=Role.HOUSEHOLD_HEAD, key="household_group_id", unit_ids=[h.db_id for h in households], on=today
            )
            for group in households:
                _prefetched(group)["head"] = heads.get(group.db_id)
