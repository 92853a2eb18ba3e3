"""Reading people: who holds a unit's roles on a day, and the rotation's leader for a township on a day.

The day is the caller's ("today" in the unit's county, or a day the client asked for); "in office"
is `models.people.in_force`, the one definition of holding a role on a day.
"""

from __future__ import annotations

from datetime import date

from models.people import Person, RoleAssignment, in_force
from resolvers.context import Context
from resolvers.loading import RowsLoader
from resolvers.people.loaders import SupervisionsByTownshipLoader


async def holder_on(context: Context, loader: type[RowsLoader[int, RoleAssignment]], unit_id: int, on: date) -> Person | None:
    """The holder of a single-holder role in a unit on a day (the latest assignment wins an overlap)."""
    assignments = in_force(await context.loader(loader).load(unit_id), on)
    return assignments[-1].person if assignments else None


async def people_on(context: Context, loader: type[RowsLoader[int, RoleAssignment]], unit_id: int, on: date) -> list[Person]:
    """The distinct people holding any of a unit's roles on a day, in assignment order."""
    people = {a.person_id: a.person for a in in_force(await context.loader(loader).load(unit_id), on)}  # type: ignore[attr-defined]
    return list(people.values())


async def supervisor_on(context: Context, *, township_id: int, on: date) -> Person | None:
    """The leader assigned to the township on that day (the latest assignment wins an overlap)."""
    assignments = in_force(await context.loader(SupervisionsByTownshipLoader).load(township_id), on)
    return assignments[-1].leader if assignments else None
