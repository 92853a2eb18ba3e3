"""What the database already holds, read with one query per table so validation and upserts never query per row."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tortoise.backends.base.client import BaseDBAsyncClient

from models.cases import Case, CaseEvent, CaseParty
from models.meetings import MediationVisit, Meeting
from models.people import Person, RoleAssignment
from models.supervision import SupervisionAssignment
from models.units import County, Grid, HouseholdGroup, JointMeeting, PartyGroup, Township, Village


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
    codes: dict[str, dict[int, str]] = field(default_factory=dict)  # table → id → natural key

    def key_of(self, table: str, row_id: int | None) -> str | None:
        """The natural key (code, ext id, number) of a stored row, from its id."""
        if row_id is None:
            return None
        return self.codes[table].get(row_id)


async def read_existing(connection: BaseDBAsyncClient) -> Existing:
    """Read every table the import touches, sequentially (one connection inside the transaction)."""
    db = connection
    found = Existing()
    found.people = {row.ext_id: row for row in await Person.all().using_db(db)}
    found.counties = {row.code: row for row in await County.all().using_db(db)}
    found.townships = {row.code: row for row in await Township.all().using_db(db)}
    found.joint_meetings = {row.township_id: row for row in await JointMeeting.all().using_db(db)}  # type: ignore[attr-defined]
    found.villages = {row.code: row for row in await Village.all().using_db(db)}
    found.grids = {row.code: row for row in await Grid.all().using_db(db)}
    found.household_groups = {row.code: row for row in await HouseholdGroup.all().using_db(db)}
    found.party_groups = {row.code: row for row in await PartyGroup.all().using_db(db)}
    found.roles = list(await RoleAssignment.all().using_db(db))
    found.supervision = list(await SupervisionAssignment.all().using_db(db))
    found.meetings = {row.ext_id: row for row in await Meeting.all().using_db(db)}
    found.cases = {row.number: row for row in await Case.all().using_db(db)}
    for party in await CaseParty.all().using_db(db).order_by("case_id", "position"):
        found.parties[party.case_id].append(party)  # type: ignore[attr-defined]
    for event in await CaseEvent.all().using_db(db).order_by("case_id", "seq"):
        found.events[event.case_id].append(event)  # type: ignore[attr-defined]
    found.visits = {row.ext_id: row for row in await MediationVisit.all().using_db(db)}
    for row in await db.execute_query_dict("SELECT meeting_id, person_id FROM meeting_attendee"):
        found.attendees[row["meeting_id"]].add(row["person_id"])
    for row in await db.execute_query_dict("SELECT meeting_id, case_id FROM meeting_case"):
        found.meeting_cases[row["meeting_id"]].add(row["case_id"])
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
