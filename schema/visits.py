"""Mediation visits (深入村组开展矛盾纠纷调解): who went to which village on which day, the cases touched, the outcome."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info

from core import visits as visit_data
from core.errors import WriteRefused
from models import meetings as rows
from models import visits as visit_rows
from resolvers.context import Context
from resolvers.people.loaders import PersonByIdLoader
from resolvers.units.loaders import VillageByIdLoader
from resolvers.visits.loaders import CaseIdsByVisitLoader, StaffIdsByVisitLoader
from resolvers.visits.mutations.record_mediation_visit import record_mediation_visit
from resolvers.visits.queries import visit_counts, visits_page
from schema import cases, people, units
from schema.connections import Connection
from schema.cost import period_months, work
from schema.errors import UserError, to_user_errors
from schema.node import Node
from schema.text_types import Note, UnitCode

if TYPE_CHECKING:
    from schema.cases import Case
    from schema.people import Person
    from schema.units import Village

PersonRef = Annotated["Person", strawberry.lazy("schema.people")]
VillageRef = Annotated["Village", strawberry.lazy("schema.units")]
CaseRef = Annotated["Case", strawberry.lazy("schema.cases")]
VisitOutcome = strawberry.enum(visit_rows.VisitOutcome)


@strawberry.input(description="Every given condition must hold; the period is in the county's local time.")
class MediationVisitFilter:
    county_code: UnitCode | None = None
    township_code: UnitCode | None = None
    village_code: UnitCode | None = None
    period: str | None = strawberry.field(default=None, description="A month `2023-05`, a quarter `2023-Q2` or a year `2023`.")


@strawberry.input(description="A mediation visit: the village, the local day, who went, the cases touched, the outcome.")
class RecordMediationVisitInput:
    village_code: UnitCode
    day: date
    staff_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="Person ids of the visiting officials.")
    case_numbers: list[str] = strawberry.field(default_factory=list, description="Cases of this village the visit worked on.")
    outcome: VisitOutcome | None = None
    note: Note | None = None


@strawberry.type(description="A mediation visit to a village.")
class MediationVisit(Node):
    ext_id: str
    day: date = strawberry.field(description="The local day of the visit.")
    outcome: VisitOutcome | None
    note: str | None
    db_id: strawberry.Private[int]
    village_db_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: rows.MediationVisit, zone: ZoneInfo) -> MediationVisit:
        return cls(ext_id=row.ext_id, day=row.at.astimezone(zone).date(),
                   outcome=visit_rows.VisitOutcome(row.outcome) if row.outcome else None, note=row.note, db_id=row.id,
                   village_db_id=row.village_id)  # type: ignore[attr-defined]

    @strawberry.field
    async def village(self, info: Info[Context, None]) -> VillageRef:
        row = await info.context.loader(VillageByIdLoader).load(self.village_db_id)
        assert row is not None
        return units.Village.from_model(row)

    @strawberry.field(description="The officials who went (everyone recorded on the visit).")
    async def staff(self, info: Info[Context, None]) -> list[PersonRef]:
        ids = await info.context.loader(StaffIdsByVisitLoader).load(self.db_id)
        return [people.Person.from_model(p) for p in await info.context.loader(PersonByIdLoader).load_many(ids) if p is not None]

    @strawberry.field(description="The cases the visit worked on.")
    async def cases(self, info: Info[Context, None]) -> list[CaseRef]:
        return await cases.cases_by_ids(info.context, await info.context.loader(CaseIdsByVisitLoader).load(self.db_id))


@strawberry.type
class MediationVisitConnection(Connection[MediationVisit]):
    pass


@strawberry.type(description="Mediation visits to one village in one local month.")
class VisitCount:
    village_code: str
    village_name: str
    month: str
    visits: int

    @classmethod
    def from_count(cls, count: visit_data.VisitCount) -> VisitCount:
        return cls(village_code=count.village_code, village_name=count.village_name, month=count.month, visits=count.visits)


@strawberry.type
class MediationVisitPayload:
    visit: MediationVisit | None
    user_errors: list[UserError]


# mediationVisitCounts reads every visit of its scope and period and counts them in Python. Demo (SQLite, county
# token): no period 2 statements, 1,213 rows (one year of visits); 2023-05 3 statements, 96 rows. Weighed by the
# period: a month 200, a quarter 500, a year 1,500, no period 6,000 (every year the county has, ~1,200 visits each).
VISIT_COUNTS_WORK = {1: 200, 3: 500, 12: 1_500}


def visit_counts_weight(arguments: Mapping[str, Any]) -> int:
    """One call: by the filter's period (none: all years)."""
    given = arguments.get("filter")
    period = given.get("period") if isinstance(given, dict) else None
    return VISIT_COUNTS_WORK.get(period_months(period, unknown=0), 6_000)


@strawberry.type
class VisitsQuery:
    @strawberry.field(description="Mediation visits to villages (深入村组开展矛盾纠纷调解), oldest first.")
    async def mediation_visits(
        self, info: Info[Context, None], filter: MediationVisitFilter | None = None, first: int | None = None, after: str | None = None
    ) -> MediationVisitConnection:
        page = await visits_page(info.context, conditions=filter, first=first, after=after)
        return MediationVisitConnection.from_page(page, lambda zoned: MediationVisit.from_model(*zoned))

    @strawberry.field(description="Mediation visits counted per village and local month (villages without visits left out).",
                      metadata=work(visit_counts_weight, measured="demo: all 2023 visits 2 statements, 1,213 rows; 2023-05: 3, 96"))
    async def mediation_visit_counts(self, info: Info[Context, None], filter: MediationVisitFilter | None = None) -> list[VisitCount]:
        return [VisitCount.from_count(count) for count in await visit_counts(info.context, conditions=filter)]


@strawberry.type
class VisitsMutation:
    @strawberry.mutation(description="Record a mediation visit to a village (officials, cases worked on, outcome).")
    async def record_mediation_visit(self, info: Info[Context, None], input: RecordMediationVisitInput) -> MediationVisitPayload:
        try:
            written = await record_mediation_visit(
                info.context, village_code=input.village_code, day=input.day, staff_ids=input.staff_ids, case_numbers=input.case_numbers,
                outcome=visit_rows.VisitOutcome(input.outcome) if input.outcome else None, note=input.note,
            )
        except WriteRefused as refusal:
            return MediationVisitPayload(visit=None, user_errors=to_user_errors(refusal))
        return MediationVisitPayload(visit=MediationVisit.from_model(written.visit, written.zone), user_errors=[])
