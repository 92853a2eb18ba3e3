"""What the database already holds of what a document names, read with one query per table so validation and upserts never query per row.

Only the rows the document names (any string in it that is a stored code, id or number) and the rows hanging on
those are read, so a one-county import costs the same in an empty database and in a province."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from models.select_any import any_of
from models.cases import Case, CaseEvent, CaseParty
from models.meetings import MediationVisit, Meeting
from models.people import Person, RoleAssignment
from models.supervision import SupervisionAssignment
from models.units import County, Grid, HouseholdGroup, JointMeeting, PartyGroup, Township, Village

M = TypeVar("M", bound=Model)


@dataclass(slots=True)
class Existing:
    """Stored rows keyed by natural key, plus id → key maps to translate foreign keys back."""

    people: dict[str, Person] = field(default_factory=dict)
    counties: dict[str, County] = field(default_factory=dict)
    townships: dict[str, Township] = field(default_factory=dict)
    joint_meetings: dict[int, JointMeeting] = field(default_factory=dict)  # by township id
    villages: dict[str, Village] = field(default_factory=dict)
    grids: dict[str, Grid] = field(default_factory=dict)
    household_groups: dict[str, HouseholdGroup] = field(default_factory=dict)
    party_groups: dict[str, PartyGroup] = field(default_factory=dict)
    roles: list[RoleAssignment] = field(default_factory=list)
    supervision: list[SupervisionAssignment] = field(default_factory=list)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    attendees: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # meeting id → person ids
    meeting_cases: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # meeting id → case ids
    cases: dict[str, Case] = field(default_factory=dict)
    parties: dict[int, list[CaseParty]] = field(default_factory=lambda: defaultdict(list))  # by case id, by position
    events: dict[int, list[CaseEvent]] = field(default_factory=lambda: defaultdict(list))  # by case id, by seq
    visits: dict[str, MediationVisit] = field(default_factory=dict)
    retired_zones: dict[str, str] = field(default_factory=dict)  # retired stored village code → its county's time zone
    codes: dict[str, dict[int, str]] = field(default_factory=dict)  # table → id → natural key

    def key_of(self, table: str, row_id: int | None) -> str | None:
        """The natural key (code, ext id, number) of a stored row, from its id."""
        if row_id is None:
            return None
        return self.codes[table].get(row_id)


def named_strings(document: Any) -> list[str]:
    """Every string value in the document: the codes, ids and numbers it names (and harmless other text)."""
    found: set[str] = set()
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, Mapping):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return sorted(found)


class _Reader:
    """Rows whose column is in a list, with the whole list as one parameter (models/select_any.py `any_of`)."""

    def __init__(self, db: BaseDBAsyncClient) -> None:
        self.db = db

    async def rows(self, model: type[M], column: str, values: Collection[Any], *, order: str = "") -> list[M]:
        if not values:
            return []
        where, parameter = any_of(self.db, f'"{column}"', values)
        sql = f'SELECT * FROM "{model._meta.db_table}" WHERE {where}{f" ORDER BY {order}" if order else ""}'
        return list(await self.db.executor_class(model=model, db=self.db).execute_select(sql, [parameter]))

    async def pairs(self, table: str, column: str, ids: Collection[int]) -> list[tuple[int, int]]:
        if not ids:
            return []
        other = "person_id" if table == "meeting_attendee" else "case_id"
        where, parameter = any_of(self.db, column, ids)
        sql = f"SELECT meeting_id, {other} FROM {table} WHERE {where}"
        return [(row["meeting_id"], row[other]) for row in await self.db.execute_query_dict(sql, [parameter])]


async def read_existing(connection: BaseDBAsyncClient, document: Mapping[str, Any]) -> Existing:
    """Read the stored rows the document names (by code, id or number) and what hangs on them, one statement per table."""
    read, names = _Reader(connection), named_strings(document)
    found = Existing()
    counties = await read.rows(County, "code", names)
    townships = await read.rows(Township, "code", names)
    found.villages = {row.code: row for row in await read.rows(Village, "code", names)}
    found.grids = {row.code: row for row in await read.rows(Grid, "code", names)}
    found.household_groups = {row.code: row for row in await read.rows(HouseholdGroup, "code", names)}
    found.party_groups = {row.code: row for row in await read.rows(PartyGroup, "code", names)}
    township_ids = {row.id for row in townships}
    meetings = await read.rows(Meeting, "ext_id", names) + await read.rows(Meeting, "township_id", township_ids)  # numbers per township
    found.meetings = {row.ext_id: row for row in meetings}
    found.cases = {row.number: row for row in await read.rows(Case, "number", names)}
    found.visits = {row.ext_id: row for row in await read.rows(MediationVisit, "ext_id", names)}
    units = (
        ("county_id", counties), ("township_id", townships), ("grid_id", found.grids.values()),
        ("household_group_id", found.household_groups.values()), ("party_group_id", found.party_groups.values()),
    )
    for column, rows in units:
        found.roles += await read.rows(RoleAssignment, column, {row.id for row in rows})
    found.supervision = await read.rows(SupervisionAssignment, "township_id", township_ids)
    case_ids = [row.id for row in found.cases.values()]
    for party in await read.rows(CaseParty, "case_id", case_ids, order="case_id, position"):
        found.parties[party.case_id].append(party)  # type: ignore[attr-defined]
    for event in await read.rows(CaseEvent, "case_id", case_ids, order="case_id, seq"):
        found.events[event.case_id].append(event)  # type: ignore[attr-defined]
    meeting_ids = [row.id for row in found.meetings.values()]
    for meeting_id, person_id in await read.pairs("meeting_attendee", "meeting_id", meeting_ids):
        found.attendees[meeting_id].add(person_id)
    for meeting_id, case_id in await read.pairs("meeting_case", "meeting_id", meeting_ids):
        found.meeting_cases[meeting_id].add(case_id)
    # Stored rows point at townships and people the document may not name: read those too, so keys translate back.
    referenced = {r.township_id for r in [*found.meetings.values(), *found.cases.values(), *found.villages.values()]} - township_ids  # type: ignore[attr-defined]
    townships += await read.rows(Township, "id", referenced)
    found.counties = {row.code: row for row in counties}
    found.retired_zones = await _retired_zones(read, found.villages.values(), townships)
    found.townships = {row.code: row for row in townships}
    found.joint_meetings = {row.township_id: row for row in await read.rows(JointMeeting, "township_id", {t.id for t in townships})}  # type: ignore[attr-defined]
    people = {row.id: row for row in await read.rows(Person, "ext_id", names)}
    person_ids = {r.person_id for r in found.roles} | {r.leader_id for r in found.supervision}  # type: ignore[attr-defined]
    person_ids |= {e.approver_id for events in found.events.values() for e in events if e.approver_id is not None}  # type: ignore[attr-defined]
    person_ids |= {p for attendees in found.attendees.values() for p in attendees}
    for row in await read.rows(Person, "id", person_ids - people.keys()):
        people[row.id] = row
    found.people = {row.ext_id: row for row in people.values()}
    found.codes = {
        "person": {row.id: key for key, row in found.people.items()},
        "county": {row.id: key for key, row in found.counties.items()},
        "township": {row.id: key for key, row in found.townships.items()},
        "village": {row.id: key for key, row in found.villages.items()},
        "grid": {row.id: key for key, row in found.grids.items()},
        "household_group": {row.id: key for key, row in found.household_groups.items()},
        "party_group": {row.id: key for key, row in found.party_groups.items()},
        "case": {row.id: key for key, row in found.cases.items()},
    }
    return found


async def _retired_zones(read: _Reader, villages: Collection[Village], townships: list[Township]) -> dict[str, str]:
    """Retired stored villages → their county's zone, so records dated on or after a retirement are refused by local day
    (core/roster/retired.py); one statement, and none when the document names no retired village."""
    retired = [row for row in villages if row.retired_on is not None]
    if not retired:
        return {}
    county_of = {row.id: row.county_id for row in townships}  # type: ignore[attr-defined]
    zones = {row.id: row.timezone for row in await read.rows(County, "id", set(county_of.values()))}
    return {row.code: zones[county_of[row.township_id]] for row in retired  # type: ignore[attr-defined]
            if row.township_id in county_of and county_of[row.township_id] in zones}  # type: ignore[attr-defined]
