"""`markUnavailable`: a bureau member is away on some days; the rotation planner leaves them out then."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core import unavailability
from core.writes import Problems
from models.people import Person
from models.rotation import Unavailability
from resolvers.context import Context
from resolvers.people.loaders import PersonByIdLoader


@dataclass(frozen=True)
class Marked:
    """The days recorded and the bureau member they are for."""

    unavailability: Unavailability
    person: Person


async def mark_unavailable(
    context: Context, *, county_code: str, person_id: str, first_day: date, last_day: date, reason: str | None
) -> Marked:
    problems = Problems()
    ids = problems.ids([person_id], "Person", ["input", "personId"])
    problems.check()
    row = await unavailability.mark_unavailable(actor=context.audit_actor, county_code=county_code, person_id=ids[0],
                                          first_day=first_day, last_day=last_day, reason=reason, problems=problems)
    person = await context.loader(PersonByIdLoader).load(ids[0])
    assert person is not None
    return Marked(row, person)
