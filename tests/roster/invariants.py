"""The roster invariants read back from the database (DESIGN §1), and the roster's state as one comparable value.

Shared by the reproduction tests and the stateful property test: after any write the rows must
satisfy them, whatever the service or the database let through.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from models.audit import AuditEntry
from models.enums import Role
from models.people import Person, RoleAssignment, overlaps
from models.supervision import SupervisionAssignment
from models.units import Grid, HouseholdGroup, PartyGroup, Village

SINGLE_HOLDER = frozenset(Role) - {Role.BUREAU_LEADER, Role.BUREAU_STAFF}
UNIT_COLUMNS = ("county_id", "township_id", "grid_id", "household_group_id", "party_group_id")


async def roster_problems() -> list[str]:
    """Every broken invariant in the database: a first day after a last day, two holders of a single-holder role on one day."""
    problems: list[str] = []
    rows = await RoleAssignment.all().order_by("id")
    by_unit: dict[tuple[str, tuple[Any, ...]], list[RoleAssignment]] = defaultdict(list)
    for row in rows:
        if row.valid_from is not None and row.valid_to is not None and row.valid_from > row.valid_to:
            problems.append(f"assignment {row.id} runs from {row.valid_from} to {row.valid_to}")
        if Role(row.role) in SINGLE_HOLDER:
            by_unit[(row.role, tuple(getattr(row, c) for c in UNIT_COLUMNS))].append(row)
    for (role, _), held in by_unit.items():
        for index, a in enumerate(held):
            for b in held[index + 1:]:
                if overlaps(a.valid_from, a.valid_to, b.valid_from, b.valid_to):
                    problems.append(f"{role}: assignments {a.id} ({a.valid_from}–{a.valid_to}) and {b.id} ({b.valid_from}–{b.valid_to}) overlap")
    for row in await SupervisionAssignment.all():
        if row.valid_to is not None and row.valid_from > row.valid_to:
            problems.append(f"supervision {row.id} runs from {row.valid_from} to {row.valid_to}")
    return problems


async def roster_state() -> tuple[Any, ...]:
    """The roster as a value: assignments, people, units (a write that changed nothing leaves it equal)."""
    assignments = await RoleAssignment.all().order_by("id").values_list("id", "person_id", "role", *UNIT_COLUMNS, "valid_from", "valid_to")
    people = await Person.all().order_by("id").values_list("id", "name", "phone")
    units = []
    for model in (Village, Grid, HouseholdGroup, PartyGroup):
        units.append(await model.all().order_by("id").values_list("code", "retired_on", *(("name",) if model is not HouseholdGroup else ())))
    return (tuple(assignments), tuple(people), tuple(tuple(u) for u in units))


async def audit_rows() -> list[tuple[str, str | None]]:
    """(action, entity key) of every audit row, oldest first."""
    return [tuple(r) for r in await AuditEntry.all().order_by("id").values_list("action", "entity_key")]  # type: ignore[misc]
