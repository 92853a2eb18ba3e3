"""Reading mediation visits: the filtered keyset page and the counts per village and local month."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from tortoise.queryset import QuerySet

from core.periods import local_range_filter
from core.visits import VisitCount, count_by_village_month
from models.meetings import MediationVisit
from resolvers.context import Context
from resolvers.pagination import Page, paginate
from resolvers.unit_filters import under_units
from resolvers.permissions import scoped


class VisitConditions(Protocol):
    """What a client may filter visits by (the schema's MediationVisitFilter); every given condition must hold."""

    county_code: str | None
    township_code: str | None
    village_code: str | None
    period: str | None


async def _filtered(context: Context, conditions: VisitConditions | None) -> QuerySet[MediationVisit]:
    query = scoped(MediationVisit.all(), context, "village__code")
    if conditions is None:
        return query
    query = under_units(query, township_path="village__township", county_code=conditions.county_code,
                        township_code=conditions.township_code, village_path="village", village_code=conditions.village_code)
    within = await local_range_filter(
        column="at", county_path="village__township__county", period=conditions.period, first_day=None, last_day=None,
        default=context.default_zone,
    )
    return query if within is None else query.filter(within)


async def visits_page(
    context: Context, *, conditions: VisitConditions | None, first: int | None, after: str | None
) -> Page[tuple[MediationVisit, ZoneInfo]]:
    """One page of visits, oldest first, each with its county's zone (a visit's day is that county's day)."""
    page = await paginate(
        (await _filtered(context, conditions)).select_related("village"),
        sort_fields=("at", "id"), parse=(datetime.fromisoformat, int), first=first, after=after,
    )
    zones = await context.township_zones(row.village.township_id for row in page.rows)
    return page.with_rows([(row, zones.get(row.village.township_id, context.default_zone)) for row in page.rows])


async def visit_counts(context: Context, *, conditions: VisitConditions | None) -> list[VisitCount]:
    """Visits per village and month of its county's calendar, villages without visits left out."""
    rows = await (await _filtered(context, conditions)).values("village__code", "village__name", "at", "village__township__county__timezone")
    by_zone: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_zone[row["village__township__county__timezone"]].append(row)
    counts = [count for zone, listed in by_zone.items() for count in count_by_village_month(listed, ZoneInfo(zone))]
    return sorted(counts, key=lambda count: (count.village_code, count.month))
