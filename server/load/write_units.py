"""Upserts people, the county tree, role assignments and the leadership rotation, parents before children."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from models.enums import Role
from models.people import ROLE_UNIT_FIELD, Person, RoleAssignment
from models.supervision import SupervisionAssignment
from models.units import County, Grid, HouseholdGroup, JointMeeting, PartyGroup, Township, Village
from server.load.existing import Existing
from server.load.plan import Plan
from server.load.summary import LoadSummary
from server.load.upsert import delete_ids, ids_by_key, upsert

RoleKey = tuple[int, Role, str, int, date | None]  # person id, role, unit field, unit id, valid_from


class Ids:
    """Natural key → id for every table the activity rows point at, kept current as rows are created."""

    def __init__(self, existing: Existing) -> None:
        self.person = {key: row.id for key, row in existing.people.items()}
        self.county = {key: row.id for key, row in existing.counties.items()}
        self.township = {key: row.id for key, row in existing.townships.items()}
        self.village = {key: row.id for key, row in existing.villages.items()}
        self.grid = {key: row.id for key, row in existing.grids.items()}
        self.household_group = {key: row.id for key, row in existing.household_groups.items()}
        self.party_group = {key: row.id for key, row in existing.party_groups.items()}
        self.case = {key: row.id for key, row in existing.cases.items()}

    def unit(self, field: str) -> dict[str, int]:
        return getattr(self, field)  # type: ignore[no-any-return]


async def write_units(db: BaseDBAsyncClient, plan: Plan, existing: Existing, summary: LoadSummary) -> Ids:
    """People, then county → township (+ joint meeting) → village → grid → household/party group, then roles."""
    ids = Ids(existing)
    wanted: dict[Hashable, dict[str, Any]]

    wanted = {p.ext_id: {"ext_id": p.ext_id, "name": p.name, "phone": p.phone} for p in plan.people}
    if await upsert(db, Person, wanted, existing.people, summary["people"]):
        ids.person.update(await ids_by_key(db, Person, "ext_id", wanted))

    wanted = {
        c.code: {"code": c.code, "name": c.name, "timezone": c.timezone}
        | ({"supervised_from": c.supervised_from} if c.supervised_from_given else {})
        for c in plan.counties
    }
    if await upsert(db, County, wanted, existing.counties, summary["counties"]):
        ids.county.update(await ids_by_key(db, County, "code", wanted))

    wanted = {
        t.code: {"code": t.code, "name": t.name, "kind": t.kind, "county_id": ids.county[t.county]}
        for t in plan.townships
    }
    if await upsert(db, Township, wanted, existing.townships, summary["townships"]):
        ids.township.update(await ids_by_key(db, Township, "code", wanted))

    wanted = {
        ids.township[t.code]: {"township_id": ids.township[t.code], "established_on": t.established_on}
        for t in plan.townships
        if t.established_on is not None
    }
    await upsert(db, JointMeeting, wanted, existing.joint_meetings, summary["jointMeetings"])

    wanted = {
        v.code: {
            "code": v.code, "name": v.name, "kind": v.kind, "township_id": ids.township[v.township],
            "households": v.households, "population": v.population, "groups": v.groups,
        }
        for v in plan.villages
    }
    if await upsert(db, Village, wanted, existing.villages, summary["villages"]):
        ids.village.update(await ids_by_key(db, Village, "code", wanted))

    wanted = {g.code: {"code": g.code, "name": g.name, "village_id": ids.village[g.village]} for g in plan.grids}
    if await upsert(db, Grid, wanted, existing.grids, summary["grids"]):
        ids.grid.update(await ids_by_key(db, Grid, "code", wanted))

    wanted = {
        h.code: {"code": h.code, "grid_id": ids.grid[h.grid], "households": h.households}
        for h in plan.household_groups
    }
    if await upsert(db, HouseholdGroup, wanted, existing.household_groups, summary["householdGroups"]):
        ids.household_group.update(await ids_by_key(db, HouseholdGroup, "code", wanted))

    wanted = {p.code: {"code": p.code, "name": p.name, "village_id": ids.village[p.village]} for p in plan.party_groups}
    if await upsert(db, PartyGroup, wanted, existing.party_groups, summary["partyGroups"]):
        ids.party_group.update(await ids_by_key(db, PartyGroup, "code", wanted))

    await _write_roles(db, plan, existing, ids, summary)
    await _write_supervision(db, plan, existing, ids, summary)
    return ids


async def _write_roles(db: BaseDBAsyncClient, plan: Plan, existing: Existing, ids: Ids, summary: LoadSummary) -> None:
    """Role holders per (role, unit) slot the document states: add, re-date, and remove those no longer listed."""
    wanted: dict[Hashable, dict[str, Any]] = {}
    for item in plan.roles:
        field = ROLE_UNIT_FIELD[item.role]
        unit_id = ids.unit(field)[item.unit]
        key: RoleKey = (ids.person[item.person], item.role, field, unit_id, item.valid_from)
        wanted[key] = {
            "person_id": key[0], "role": item.role, f"{field}_id": unit_id,
            "valid_from": item.valid_from, "valid_to": item.valid_to,
        }
    owned = {
        (role, ids.unit(ROLE_UNIT_FIELD[role])[code]) for role, code in plan.role_slots
    }
    stored: dict[Hashable, RoleAssignment] = {}
    stale: list[int] = []
    for row in existing.roles:
        role = Role(row.role)
        field = ROLE_UNIT_FIELD[role]
        unit_id = getattr(row, f"{field}_id")
        key = (row.person_id, role, field, unit_id, row.valid_from)  # type: ignore[attr-defined]
        if key in wanted and key not in stored:
            stored[key] = row
        elif (role, unit_id) in owned:
            stale.append(row.id)
    # The replaced holders go first: the database allows one holder of a single-holder role per day (migration 0005).
    await delete_ids(db, RoleAssignment, stale)
    await upsert(db, RoleAssignment, wanted, stored, summary["roles"])
    summary["roles"].removed += len(stale)


async def _write_supervision(
    db: BaseDBAsyncClient, plan: Plan, existing: Existing, ids: Ids, summary: LoadSummary
) -> None:
    """Rotation periods by (leader, township, from); stored periods the document omits are kept (the API adds them too)."""
    wanted: dict[Hashable, dict[str, Any]] = {}
    for item in plan.supervision:
        key = (ids.person[item.leader], ids.township[item.township], item.valid_from)
        wanted[key] = {
            "leader_id": key[0], "township_id": key[1], "valid_from": item.valid_from, "valid_to": item.valid_to,
        }
    stored: dict[Hashable, SupervisionAssignment] = {
        (row.leader_id, row.township_id, row.valid_from): row for row in existing.supervision  # type: ignore[attr-defined]
    }
    await upsert(db, SupervisionAssignment, wanted, stored, summary["supervision"])
