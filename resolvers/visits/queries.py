"""Reading mediation visits: the filtered keyset connection and the counts per village and local month."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info
from tortoise.queryset import QuerySet

from models.meetings import MediationVisit as VisitRow
from resolvers.context import Context
from resolvers.pagination import paginate
from resolvers.permissions import scoped
from core.periods import local_range
from core.visits import count_by_village_month
from schema.visits import MediationVisit, MediationVisitConnection, MediationVisitFilter, VisitCount


def _filtered(info: Info[Context, None], filter: MediationVisitFilter | None) -> QuerySet[VisitRow]:
    query = scoped(VisitRow.all(), info, "village__code")
    if filter is None:
        return query
    if filter.county_code:
        query = query.filter(village__township__county__code=filter.county_code)
    if filter.township_code:
        query = query.filter(village__township__code=filter.township_code)
    if filter.village_code:
        query = query.filter(village__code=filter.village_code)
    start, end = local_range(period=filter.period, first_day=None, last_day=None, zone=info.context.default_zone)
    if start is not None:
        query = query.filter(at__gte=start)
    if end is not None:
        query = query.filter(at__lt=end)
    return query


async def visits_connection(
    info: Info[Context, None], *, filter: MediationVisitFilter | None, first: int | None, after: str | None
) -> MediationVisitConnection:
    """One page of visits, oldest first."""
    zone = info.context.default_zone
    page = await paginate(
        _filtered(info, filter), sort_fields=("at", "id"), parse=(datetime.fromisoformat, int), first=first, after=after
    )
    return MediationVisitConnection.from_page(page, lambda row: MediationVisit.from_model(row, zone))


@strawberry.type
class VisitsQuery:
    @strawberry.field(description="Mediation visits to villages (深入村组开展矛盾纠纷调解), oldest first.")
    async def mediation_visits(
        self, info: Info[Context, None], filter: MediationVisitFilter | None = None, first: int | None = None, after: str | None = None
    ) -> MediationVisitConnection:
        return await visits_connection(info, filter=filter, first=first, after=after)

    @strawberry.field(description="Mediation visits counted per village and local month (villages without visits left out).")
    async def mediation_visit_counts(self, info: Info[Context, None], filter: MediationVisitFilter | None = None) -> list[VisitCount]:
        rows = await _filtered(info, filter).values("village__code", "village__name", "at")
        return [VisitCount(village_code=c.village_code, village_name=c.village_name, month=c.month, visits=c.visits)
                for c in count_by_village_month(rows, info.context.default_zone)]
