"""Reading people: role holders of a unit and the rotation's leader for a township on a day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from strawberry.types import Info

from models.people import RoleAssignment, in_force
from resolvers.context import Context
from resolvers.people.loaders import SupervisionsByTownshipLoader
from schema.people import Person


async def people_holding(info: Info[Context, None], assignments: Sequence[RoleAssignment]) -> list[Person]:
    """The distinct people holding these role assignments (loaded with their person), in assignment order."""
    people = {a.person_id: a.person for a in assignments}
    return [Person.from_model(person) for person in people.values()]


async def supervisor_of(info: Info[Context, None], *, township_id: int, on: date) -> Person | None:
    """The leader assigned to the township on that day (the latest assignment wins an overlap)."""
    assignments = in_force(await info.context.loader(SupervisionsByTownshipLoader).load(township_id), on)
    if not assignments:
        return None
    return Person.from_model(assignments[-1].leader)
