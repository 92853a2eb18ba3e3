"""Reading cases: the filtered, keyset-paginated `cases` connection and cases by id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import strawberry
from strawberry.types import Info

from models.cases import Case as CaseRow
from resolvers.cases.loaders import CaseByIdLoader
from resolvers.context import Context
from resolvers.pagination import paginate
from resolvers.permissions import only_visible, scoped
from resolvers.units.loaders import VillageByIdLoader
from core.periods import local_range_filter
from schema.cases import Case, CaseConnection, CaseFilter


async def cases_by_ids(info: Info[Context, None], ids: Sequence[int]) -> list[Case]:
    """Cases for these ids that the viewer may see, in the given order, shown in their township's time zone."""
    rows = [r for r in await info.context.loader(CaseByIdLoader).load_many(list(ids)) if r is not None]
    zones = await info.context.township_zones(r.township_id for r in rows)
    villages = await info.context.loader(VillageByIdLoader).load_many([r.village_id for r in rows])
    codes = {v.id: v.code for v in villages if v is not None}
    rows = only_visible(info, rows, lambda r: codes.get(r.village_id))
    return [Case.from_model(r, zones.get(r.township_id, info.context.default_zone)) for r in rows]


async def cases_connection(
    info: Info[Context, None],
    *,
    filter: CaseFilter | None,
    first: int | None,
    after: str | None,
    township_id: int | None = None,
    village_id: int | None = None,
) -> CaseConnection:
    """One page of cases, oldest report first, optionally inside one township or village."""
    query = scoped(CaseRow.all(), info, "village__code")
    if township_id is not None:
        query = query.filter(township_id=township_id)
    if village_id is not None:
        query = query.filter(village_id=village_id)
    if filter is not None:
        if filter.county_code:
            query = query.filter(township__county__code=filter.county_code)
        if filter.township_code:
            query = query.filter(township__code=filter.township_code)
        if filter.village_code:
            query = query.filter(village__code=filter.village_code)
        for field_name in ("kind", "level", "category"):
            if getattr(filter, field_name):
                query = query.filter(**{field_name: getattr(filter, field_name)})
        if filter.status:
            query = query.filter(status__in=list(filter.status))
        within = await local_range_filter(
            column="reported_at", county_path="township__county", period=filter.period,
            first_day=filter.reported_from, last_day=filter.reported_to, default=info.context.default_zone,
        )
        if within is not None:
            query = query.filter(within)
    page = await paginate(query, sort_fields=("reported_at", "id"), parse=(datetime.fromisoformat, int), first=first, after=after)
    zones = await info.context.township_zones(row.township_id for row in page.rows)
    return CaseConnection.from_page(page, lambda row: Case.from_model(row, zones.get(row.township_id, info.context.default_zone)))


@strawberry.type
class CasesQuery:
    @strawberry.field(description="Disputes and petitions, oldest report first.")
    async def cases(
        self, info: Info[Context, None], filter: CaseFilter | None = None, first: int | None = None, after: str | None = None
    ) -> CaseConnection:
        return await cases_connection(info, filter=filter, first=first, after=after)
