"""Who holds a role in each of many units on a day, read in one statement as plain rows (no ORM objects).

The tree prefetch (resolvers/units/tree.py) uses it for grid workers, household heads, party-group
leaders and conveners; it picks exactly what the per-unit DataLoaders pick (`models.people.in_force`
on the day, ordered by start then id, the last one wins), so both paths answer the same. A person is
a plain row (`PERSON_COLUMNS`); schema/people.py maps it (`Person.from_values`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.enums import Role
from models.people import RoleAssignment, in_force
from models.select_any import any_of
from models.supervision import SupervisionAssignment

PERSON_COLUMNS = ("id", "ext_id", "name", "phone")

PersonRow = dict[str, Any]  # PERSON_COLUMNS → values


@dataclass(frozen=True, slots=True)
class Holding:
    """A dated assignment as plain data: the unit (or township, for the rotation), its days and its holder."""

    unit_id: int
    valid_from: date | None
    valid_to: date | None
    person: PersonRow


def _person(row: dict[str, Any], prefix: str) -> PersonRow:
    return {column: row[f"{prefix}{column}"] for column in PERSON_COLUMNS}


def _day(value: Any) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


async def _holdings(key: str, unit_ids: Sequence[int], *, role: Role | None, order: str) -> list[Holding]:
    """Assignments of many units (one array parameter) with their people, in `order`."""
    if not unit_ids:
        return []
    db = RoleAssignment._meta.db
    where, parameter = any_of(db, f"a.{key}", unit_ids)
    values: list[Any] = [parameter]
    if role is not None:
        where += " AND a.role = " + ("$2" if db.capabilities.dialect == "postgres" else "?")
        values.append(role.value)
    people = ", ".join(f"p.{column} AS person__{column}" for column in PERSON_COLUMNS)
    sql = f"SELECT a.id, a.{key}, a.valid_from, a.valid_to, {people} FROM role_assignment a JOIN person p ON p.id = a.person_id WHERE {where} ORDER BY {order}"
    return [
        Holding(row[key], _day(row["valid_from"]), _day(row["valid_to"]), _person(row, "person__"))
        for row in await db.execute_query_dict(sql, values)
    ]


async def holder_by_unit(*, role: Role, key: str, unit_ids: Sequence[int], on: date) -> dict[int, PersonRow]:
    """Unit id → the person holding `role` there on `on` (units without one are absent)."""
    holdings = await _holdings(key, unit_ids, role=role, order="a.valid_from NULLS FIRST, a.id")
    return {holding.unit_id: holding.person for holding in in_force(holdings, on)}


async def people_by_unit(*, key: str, unit_ids: Sequence[int], on: date) -> dict[int, list[PersonRow]]:
    """Unit id → the distinct people holding any role there on `on`, in assignment order."""
    grouped: dict[int, dict[int, PersonRow]] = defaultdict(dict)
    for holding in in_force(await _holdings(key, unit_ids, role=None, order="a.id"), on):
        grouped[holding.unit_id].setdefault(holding.person["id"], holding.person)
    return {unit_id: list(people.values()) for unit_id, people in grouped.items()}


async def supervisions_by_township(township_ids: Sequence[int]) -> dict[int, list[Holding]]:
    """Township id → its rotation assignments (the leader as holder), oldest first, as SupervisionsByTownshipLoader orders them."""
    leader_columns = [f"leader__{column}" for column in PERSON_COLUMNS]
    rows = await SupervisionAssignment.filter(township_id__in=list(township_ids)).order_by("valid_from", "id").values(
        "township_id", "valid_from", "valid_to", *leader_columns
    )
    grouped: dict[int, list[Holding]] = defaultdict(list)
    for row in rows:
        grouped[row["township_id"]].append(Holding(row["township_id"], row["valid_from"], row["valid_to"], _person(row, "leader__")))
    return grouped
