"""Reading mediation visits: the filtered keyset page and the counts per village and local month."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from tortoise.queryset import QuerySet

from core.periods import local_range
from core.visits import VisitCount, count_by_village_month
from models.meetings import MediationVisit
from resolvers.context import Context
from resolvers.pagination import Page, paginate
from resolvers.permissions import scoped


class VisitConditions(Protocol):
    """What a client may filter visits by (the schema's MediationVisitFilter); every given condition must hold."""

    county_code: str | None
    township_code: str | None
    village_code: str | None
    period: str | None


def visit_zone(context: Context) -> ZoneInfo:
    """The zone visits' days and periods are read in."""
    return context.default_zone


def _filtered(context: Context, conditions: VisitConditions | None) -> QuerySet[MediationVisit]:
    query = scoped(MediationVisit.all(), context, "village__code")
    if conditions is None:
        return query
    if conditions.county_code:
        query = query.filter(village__township__county__code=conditions.county_code)
    if conditions.township_code:
        query = query.filter(village__township__code=conditions.township_code)
    if conditions.village_code:
        query = query.filter(village__code=conditions.village_code)
    start, end = local_range(period=conditions.period, first_day=None, last_day=None, zone=visit_zone(context))
    if start is not None:
        query = query.filter(at__gte=start)
    if end is not None:
        query = query.filter(at__lt=end)
    return query


async def visits_page(
    context: Context, *, conditions: VisitConditions | None, first: int | None, after: str | None
) -> Page[MediationVisit]:
    """One page of visits, oldest first."""
    return await paginate(
        _filtered(context, conditions), sort_fields=("at", "id"), parse=(datetime.fromisoformat, int), first=first, after=after
    )


async def visit_counts(context: Context, *, conditions: VisitConditions | None) -> list[VisitCount]:
    """Visits per village and local month, villages without visits left out."""
    rows = await _filtered(context, conditions).values("village__code", "village__name", "at")
    return count_by_village_month(rows, visit_zone(context))
