"""Reading cases: the filtered, keyset-paginated `cases` connection and cases by id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from core.periods import local_range_filter
from models.cases import Case
from models.select_any import any_of
from models.enums import CaseCategory, CaseKind, CaseLevel, CaseStatus
from resolvers.cases.loaders import CaseByIdLoader
from resolvers.context import Context
from resolvers.pagination import Page, paginate
from resolvers.unit_filters import under_units
from resolvers.permissions import only_visible, scoped
from resolvers.units.loaders import VillageByIdLoader


class CaseCriteria(Protocol):
    """What `cases(filter:)` may ask for (the schema's `CaseFilter`)."""

    county_code: str | None
    township_code: str | None
    village_code: str | None
    kind: CaseKind | None
    level: CaseLevel | None
    category: CaseCategory | None
    status: list[CaseStatus] | None
    period: str | None
    reported_from: date | None
    reported_to: date | None


async def visible_cases(context: Context, ids: Sequence[int]) -> list[tuple[Case, ZoneInfo]]:
    """Cases for these ids that the viewer may see, in the given order, each with its township's time zone."""
    rows = [r for r in await context.loader(CaseByIdLoader).load_many(list(ids)) if r is not None]
    villages = await context.loader(VillageByIdLoader).load_many([r.village_id for r in rows])  # type: ignore[attr-defined]
    codes = {v.id: v.code for v in villages if v is not None}
    return await context.zoned(only_visible(context, rows, lambda r: codes.get(r.village_id)))  # type: ignore[attr-defined]


async def cases_by_meeting(context: Context, meeting_ids: list[int]) -> dict[int, list[tuple[Case, ZoneInfo]]]:
    """Meeting id → the cases it studied that the viewer may see (by case id, each with its zone), in one statement
    for a page of meetings (instead of a link query, a case query and a village query through DataLoaders)."""
    found: dict[int, list[tuple[Case, str]]] = {meeting_id: [] for meeting_id in meeting_ids}
    if not meeting_ids:
        return {}
    db: Any = Case._meta.db
    within, parameter = any_of(db, '"meeting_case"."meeting_id"', meeting_ids)
    columns = ", ".join(f'"case"."{column}"' for column in Case._meta.fields_db_projection.values())
    sql = (f'SELECT "meeting_case"."meeting_id" AS "_meeting_id", "village"."code" AS "_village_code", {columns} '
           'FROM "meeting_case" JOIN "case" ON "case"."id" = "meeting_case"."case_id" '
           f'JOIN "village" ON "village"."id" = "case"."village_id" WHERE {within} ORDER BY "meeting_case"."meeting_id", "case"."id"')
    for row in await db.execute_query_dict(sql, [parameter]):
        values = dict(row)
        meeting_id, village_code = values.pop("_meeting_id"), values.pop("_village_code")
        found[meeting_id].append((Case._init_from_db(**values), village_code))
    visible = {meeting_id: only_visible(context, pairs, lambda pair: pair[1]) for meeting_id, pairs in found.items()}
    zones = await context.township_zones({case.township_id for pairs in visible.values() for case, _ in pairs})  # type: ignore[attr-defined]
    return {meeting_id: [(case, zones.get(case.township_id, context.default_zone)) for case, _ in pairs]  # type: ignore[attr-defined]
            for meeting_id, pairs in visible.items()}


async def cases_page(
    context: Context,
    *,
    filter: CaseCriteria | None,
    first: int | None,
    after: str | None,
    township_id: int | None = None,
    village_id: int | None = None,
) -> Page[tuple[Case, ZoneInfo]]:
    """One page of cases (each with its time zone), oldest report first, optionally inside one township or village."""
    query = scoped(Case.all(), context, "village__code")
    if township_id is not None:
        query = query.filter(township_id=township_id)
    if village_id is not None:
        query = query.filter(village_id=village_id)
    if filter is not None:
        query = under_units(query, township_path="township", county_code=filter.county_code, township_code=filter.township_code,
                            village_path="village", village_code=filter.village_code)
        for field_name in ("kind", "level", "category"):
            if getattr(filter, field_name):
                query = query.filter(**{field_name: getattr(filter, field_name)})
        if filter.status:
            query = query.filter(status__in=list(filter.status))
        within = await local_range_filter(
            column="reported_at", county_path="township__county", period=filter.period,
            first_day=filter.reported_from, last_day=filter.reported_to, default=context.default_zone,
        )
        if within is not None:
            query = query.filter(within)
    page = await paginate(query, sort_fields=("reported_at", "id"), parse=(datetime.fromisoformat, int), first=first, after=after)
    return page.with_rows(await context.zoned(page.rows))
