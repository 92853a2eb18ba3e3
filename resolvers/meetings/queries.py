"""Reading meetings: the filtered, keyset-paginated `meetings` connection and the meetings that studied a case."""

from __future__ import annotations

from datetime import date, datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

import orjson

from core.periods import local_range, local_range_filter
from models.enums import MeetingKind, MeetingStatus
from models.meetings import Meeting
from models.select_any import any_of
from models.select_rows import Condition, count_rows, python_values, select_page_rows
from resolvers.context import Context
from resolvers.meetings.loaders import MeetingByIdLoader, MeetingIdsByCaseLoader
from resolvers.pagination import Page, after_values, empty_page, page_of, page_size, paginate
from resolvers.unit_filters import under_units
from resolvers.permissions import only_visible, scoped, sees
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


_SORT, _PARSE = ("held_at", "id"), (datetime.fromisoformat, int)


async def meetings_page(
    context: Context, *, filter: MeetingCriteria | None, first: int | None, after: str | None, township_id: int | None = None
) -> Page[tuple[Meeting, ZoneInfo]]:
    """One page of meetings (each with its time zone), oldest first, optionally inside one township."""
    query = scoped(Meeting.all(), context, "township__code")
    if township_id is not None:
        query = query.filter(township_id=township_id)
    if filter is not None:
        query = under_units(query, township_path="township", county_code=filter.county_code, township_code=filter.township_code)
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
    page = await paginate(query, sort_fields=_SORT, parse=_PARSE, first=first, after=after)
    return page.with_rows(await context.zoned(page.rows))


@dataclass(slots=True, frozen=True)
class MeetingRecord:
    """A meeting as a page shows it, read without building ORM instances (`Meeting` itself quacks the same)."""

    id: int
    township_id: int
    ext_id: str
    kind: MeetingKind
    status: MeetingStatus
    number: int
    held_at: datetime
    title: str | None
    attendees: list[dict[str, Any]] | None = None  # person rows (id, ext_id, name, phone) when read with the page

    COLUMNS: ClassVar[tuple[str, ...]] = ("id", "township_id", "ext_id", "kind", "status", "number", "held_at", "title")

    @classmethod
    def of(cls, row: Any) -> MeetingRecord:
        """A row of `COLUMNS`, followed by `ATTENDEES` (JSON text) when the page read them."""
        values = [convert(row[index]) for index, convert in enumerate(_MEETING_VALUES)]
        if len(row) == len(cls.COLUMNS):
            return cls(*values)
        attendees = row[len(cls.COLUMNS)]  # JSON text, unless the driver decodes JSON itself
        return cls(*values, attendees=orjson.loads(attendees) if isinstance(attendees, (str, bytes)) else attendees)


# A meeting's attendees as one JSON array, in person order, read with the page (one statement fewer per page).
ATTENDEES = {
    "postgres": """(SELECT COALESCE(json_agg(json_build_object('id', "person"."id", 'ext_id', "person"."ext_id",
        'name', "person"."name", 'phone', "person"."phone") ORDER BY "person"."id"), '[]') FROM "meeting_attendee"
        JOIN "person" ON "person"."id" = "meeting_attendee"."person_id" WHERE "meeting_attendee"."meeting_id" = "meeting"."id")""",
    "sqlite": """(SELECT json_group_array(json_object('id', "id", 'ext_id', "ext_id", 'name', "name", 'phone', "phone")) FROM
        (SELECT "person"."id", "person"."ext_id", "person"."name", "person"."phone" FROM "meeting_attendee"
         JOIN "person" ON "person"."id" = "meeting_attendee"."person_id" WHERE "meeting_attendee"."meeting_id" = "meeting"."id"
         ORDER BY "person"."id"))""",
}


_MEETING_VALUES = python_values(Meeting, MeetingRecord.COLUMNS)


async def township_meetings_page(
    context: Context, *, township_id: int, township_code: str, filter: MeetingCriteria | None, first: int | None, after: str | None,
    with_attendees: bool = False,
) -> Page[tuple[MeetingRecord | Meeting, ZoneInfo]]:
    """`Township.meetings`: the township's page in one plain statement (models/select_rows.py), its zone already known;
    `with_attendees`: each record's `attendees` read in the same statement.

    A township's meetings are all visible or none (the viewer's scope is a code prefix); filters naming a county or
    a township take the general path.
    """
    if filter is not None and (filter.county_code or filter.township_code):
        return await meetings_page(context, filter=filter, first=first, after=after, township_id=township_id)
    size = page_size(first)
    sort = after_values(after, _SORT, _PARSE)
    if not sees(context, township_code):
        return empty_page()
    zone = await context.zone_for_township(township_id)
    where: list[Condition] = [("township_id", "=", township_id)]
    if filter is not None:
        if filter.kind:
            where.append(("kind", "=", filter.kind))
        if filter.status:
            where.append(("status", "in", list(filter.status)))
        start, end = local_range(period=filter.period, first_day=filter.held_from, last_day=filter.held_to, zone=zone)
        where += [("held_at", ">=", start)] if start is not None else []
        where += [("held_at", "<", end)] if end is not None else []
    extra = (ATTENDEES[Meeting._meta.db.capabilities.dialect],) if with_attendees else ()
    found = await select_page_rows(Meeting, columns=MeetingRecord.COLUMNS, where=where, order=_SORT, after=sort, limit=size + 1,
                                   extra=extra)
    page = page_of([MeetingRecord.of(row) for row in found], size=size, sort_fields=_SORT,
                   count_rows=lambda: count_rows(Meeting, where=where))
    return page.with_rows([(row, zone) for row in page.rows])


async def attendees_by_meeting(meeting_ids: list[int]) -> dict[int, list[Mapping[str, Any]]]:
    """Meeting id → its attendees as person rows (id, ext_id, name, phone), ordered by person id, in one statement
    (the page's prefetch: no link query and person query per page, no DataLoader per meeting)."""
    found: dict[int, list[Mapping[str, Any]]] = {meeting_id: [] for meeting_id in meeting_ids}
    if not meeting_ids:
        return found
    db: Any = Meeting._meta.db
    within, parameter = any_of(db, '"meeting_attendee"."meeting_id"', meeting_ids)
    sql = ('SELECT "meeting_attendee"."meeting_id" AS "meeting_id", "person"."id" AS "id", "person"."ext_id" AS "ext_id", '
           '"person"."name" AS "name", "person"."phone" AS "phone" FROM "meeting_attendee" '
           f'JOIN "person" ON "person"."id" = "meeting_attendee"."person_id" WHERE {within} '
           'ORDER BY "meeting_attendee"."meeting_id", "person"."id"')
    for row in (await db.execute_query(sql, [parameter]))[1]:  # driver rows, read by name: no dict per row
        found[row["meeting_id"]].append(row)
    return found


async def meetings_of_case(context: Context, case_id: int) -> list[Meeting]:
    """Joint meetings that studied a case, those inside the viewer's jurisdiction."""
    ids = await context.loader(MeetingIdsByCaseLoader).load(case_id)
    meetings = [m for m in await context.loader(MeetingByIdLoader).load_many(ids) if m is not None]
    townships = await context.loader(TownshipByIdLoader).load_many([m.township_id for m in meetings])  # type: ignore[attr-defined]
    codes = {t.id: t.code for t in townships if t is not None}
    return only_visible(context, meetings, lambda m: codes.get(m.township_id))  # type: ignore[attr-defined]
