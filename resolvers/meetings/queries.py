"""Reading meetings: the filtered, keyset-paginated `meetings` connection."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from models.meetings import Meeting as MeetingRow
from resolvers.context import Context
from resolvers.pagination import paginate
from resolvers.permissions import scoped
from core.periods import local_range_filter
from schema.meetings import Meeting, MeetingConnection, MeetingFilter


async def meetings_connection(
    info: Info[Context, None],
    *,
    filter: MeetingFilter | None,
    first: int | None,
    after: str | None,
    township_id: int | None = None,
) -> MeetingConnection:
    """One page of meetings, oldest first, optionally inside one township."""
    query = scoped(MeetingRow.all(), info, "township__code")
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
            first_day=filter.held_from, last_day=filter.held_to, default=info.context.default_zone,
        )
        if within is not None:
            query = query.filter(within)
    page = await paginate(query, sort_fields=("held_at", "id"), parse=(datetime.fromisoformat, int), first=first, after=after)
    zones = await info.context.township_zones(row.township_id for row in page.rows)
    return MeetingConnection.from_page(page, lambda row: Meeting.from_model(row, zones.get(row.township_id, info.context.default_zone)))


@strawberry.type
class MeetingsQuery:
    @strawberry.field(description="Meetings of every township, oldest first.")
    async def meetings(
        self, info: Info[Context, None], filter: MeetingFilter | None = None, first: int | None = None, after: str | None = None
    ) -> MeetingConnection:
        return await meetings_connection(info, filter=filter, first=first, after=after)
