"""Reading meetings: the filtered, keyset-paginated `meetings` connection and the meetings that studied a case."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from core.periods import local_range_filter
from models.enums import MeetingKind, MeetingStatus
from models.meetings import Meeting
from resolvers.context import Context
from resolvers.meetings.loaders import MeetingByIdLoader, MeetingIdsByCaseLoader
from resolvers.pagination import Page, paginate
from resolvers.permissions import only_visible, scoped
from resolvers.units.loaders import TownshipByIdLoader


class MeetingCriteria(Protocol):
    """What `meetings(filter:)` may ask for (the schema's `MeetingFilter`)."""

    county_code: str | None
    township_code: str | None
    kind: MeetingKind | None
    status: list[MeetingStatus] | None
    period: str | None
    held_from: date | None
    held_to: date | None


async def meetings_page(
    context: Context, *, filter: MeetingCriteria | None, first: int | None, after: str | None, township_id: int | None = None
) -> Page[tuple[Meeting, ZoneInfo]]:
    """One page of meetings (each with its time zone), oldest first, optionally inside one township."""
    query = scoped(Meeting.all(), context, "township__code")
    if township_id is not None:
        query = query.filter(township_id=township_id)
    if filter is not None:
        if filter.county_code:
            query = query.filter(township__county__code=filter.county_code)
        if filter.township_code:
            query = query.filter(township__code=filter.township_code)
        if filter.kind:
            query = query.filter(kind=filter.kind)
        if filter.status:
            query = query.filter(status__in=list(filter.status))
        within = await local_range_filter(
            column="held_at", county_path="township__county", period=filter.period,
            first_day=filter.held_from, last_day=filter.held_to, default=context.default_zone,
        )
        if within is not None:
            query = query.filter(within)
    page = await paginate(query, sort_fields=("held_at", "id"), parse=(datetime.fromisoformat, int), first=first, after=after)
    return page.with_rows(await context.zoned(page.rows))


async def meetings_of_case(context: Context, case_id: int) -> list[Meeting]:
    """Joint meetings that studied a case, those inside the viewer's jurisdiction."""
    ids = await context.loader(MeetingIdsByCaseLoader).load(case_id)
    meetings = [m for m in await context.loader(MeetingByIdLoader).load_many(ids) if m is not None]
    townships = await context.loader(TownshipByIdLoader).load_many([m.township_id for m in meetings])  # type: ignore[attr-defined]
    codes = {t.id: t.code for t in townships if t is not None}
    return only_visible(context, meetings, lambda m: codes.get(m.township_id))  # type: ignore[attr-defined]
