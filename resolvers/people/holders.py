"""Who holds a role in each of many units on a day, read in one statement as plain rows (no ORM objects).

The tree prefetch (resolvers/units/tree.py) uses it for grid workers, household heads, party-group
leaders and conveners; it picks exactly what the per-unit DataLoaders pick (in force on the day,
ordered by start then id, the last one wins), so both paths answer the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from models.enums import Role
from models.people import RoleAssignment
from models.supervision import SupervisionAssignment
from resolvers.loading import any_of
from schema.people import Person

PERSON_COLUMNS = ("id", "ext_id", "name", "phone")


def _in_force(row: dict[str, Any], on: date) -> bool:
    start, end = row["valid_from"], row["valid_to"]
    return (start is None or start <= on) and (end is None or on <= end)


def _person(row: dict[str, Any], prefix: str) -> Person:
    return Person.from_values({column: row[f"{prefix}{column}"] for column in PERSON_COLUMNS})


async def _assignments(key: str, unit_ids: Sequence[int], *, role: Role | None, order: str) -> list[dict[str, Any]]:
    """Assignments of many units (one array parameter) with their people, as plain rows in `order`."""
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
    rows = await db.execute_query_dict(sql, values)
    for row in rows:
        for column in ("valid_from", "valid_to"):
            if row[column] is not None and not isinstance(row[column], date):
                row[column] = date.fromisoformat(row[column])
    return rows


async def holder_by_unit(*, role: Role, key: str, unit_ids: Sequence[int], on: date) -> dict[int, Person]:
    """Unit id → the person holding `role` there on `on` (units without one are absent)."""
    chosen: dict[int, dict[str, Any]] = {}
    for row in await _assignments(key, unit_ids, role=role, order="a.valid_from NULLS FIRST, a.id"):
        if _in_force(row, on):
            chosen[row[key]] = row
    return {unit_id: _person(row, "person__") for unit_id, row in chosen.items()}


async def people_by_unit(*, key: str, unit_ids: Sequence[int], on: date) -> dict[int, list[Person]]:
    """Unit id → the distinct people holding any role there on `on`, in assignment order."""
    grouped: dict[int, dict[int, Person]] = defaultdict(dict)
    for row in await _assignments(key, unit_ids, role=None, order="a.id"):
        if _in_force(row, on):
            grouped[row[key]].setdefault(row["person__id"], _person(row, "person__"))
    return {unit_id: list(people.values()) for unit_id, people in grouped.items()}


async def supervisions_by_township(township_ids: Sequence[int]) -> dict[int, list[tuple[date, date | None, Person]]]:
    """Township id → its rotation assignments (from, to, leader), oldest first, as SupervisionsByTownshipLoader orders them."""
    leader_columns = [f"leader__{column}" for column in PERSON_COLUMNS]
    rows = await SupervisionAssignment.filter(township_id__in=list(township_ids)).order_by("valid_from", "id").values(
        "township_id", "valid_from", "valid_to", *leader_columns
    )
    grouped: dict[int, list[tuple[date, date | None, Person]]] = defaultdict(list)
    for row in rows:
        grouped[row["township_id"]].append((row["valid_from"], row["valid_to"], _person(row, "leader__")))
    return grouped
