"""Reading people: role holders of a unit and the rotation's leader for a township on a day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from strawberry.types import Info

from models.people import RoleAssignment, in_force
from resolvers.context import Context
from resolvers.people.loaders import PersonByIdLoader, SupervisionsByTownshipLoader
from schema.people import Person


async def people_holding(info: Info[Context, None], assignments: Sequence[RoleAssignment]) -> list[Person]:
    """The distinct people holding these role assignments, in assignment order."""
    person_ids = list(dict.fromkeys(a.person_id for a in assignments))
    people = await info.context.loader(PersonByIdLoader).load_many(person_ids)
    return [Person.from_model(p) for p in people if p is not None]


async def supervisor_of(info: Info[Context, None], *, township_id: int, on: date) -> Person | None:
    """The leader assigned to the township on that day (the latest assignment wins an overlap)."""
    assignments = in_force(await info.context.loader(SupervisionsByTownshipLoader).load(township_id), on)
    if not assignments:
        return None
    person = await info.context.loader(PersonByIdLoader).load(assignments[-1].leader_id)
    return Person.from_model(person) if person else None
