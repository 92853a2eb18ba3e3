"""A county office loads its lianxi/v1 file: the rows appear, and loading it again changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from models.cases import Case, CaseEvent, CaseParty
from models.enums import CaseLevel, CaseStatus, Role
from models.meetings import MediationVisit, Meeting
from models.people import Person, RoleAssignment
from models.supervision import SupervisionAssignment
from models.units import County, Grid, HouseholdGroup, JointMeeting, PartyGroup, Township, Village
from server.load import load_document
from tests.load.documents import GRID, HOUSEHOLD_GROUP, PARTY_GROUP, TOWNSHIP, VILLAGE, minimal_document
from tests.load.rows import row_counts, stamps


async def test_a_valid_document_loads_every_unit_person_and_role(orm: str) -> None:
    summary = await load_document(minimal_document())

    assert summary["people"].created == 8
    assert await County.get(code="522728").values_list("name", "timezone") == ("罗甸县", "Asia/Shanghai")
    township = await Township.get(code=TOWNSHIP)
    assert township.kind == "TOWN"
    joint = await JointMeeting.get(township=township)
    assert joint.established_on == date(2021, 11, 1)
    village = await Village.get(code=VILLAGE)
    assert (village.households, village.population, village.groups) == (444, 1929, 9)
    assert await Grid.filter(code=GRID, village=village).exists()
    assert (await HouseholdGroup.get(code=HOUSEHOLD_GROUP)).households == 7
    assert await PartyGroup.filter(code=PARTY_GROUP, village=village).exists()
    roles = {
        (row["person__ext_id"], row["role"])
        for row in await RoleAssignment.all().values("person__ext_id", "role")
    }
    assert roles == {
        ("P1", Role.BUREAU_HEAD), ("P2", Role.BUREAU_LEADER), ("P3", Role.BUREAU_STAFF),
        ("P10", Role.CHIEF_CONVENER), ("P11", Role.CONVENER), ("P20", Role.GRID_WORKER),
        ("P30", Role.HOUSEHOLD_HEAD), ("P40", Role.PARTY_GROUP_LEADER),
    }
    leader = await RoleAssignment.get(role=Role.BUREAU_LEADER)
    assert leader.valid_from == date(2023, 1, 1) and leader.valid_to is None
    rotation = await SupervisionAssignment.get().prefetch_related("leader", "township")
    assert (rotation.leader.ext_id, rotation.township.code) == ("P2", TOWNSHIP)
    assert (rotation.valid_from, rotation.valid_to) == (date(2023, 1, 1), date(2023, 12, 31))


async def test_cases_meetings_and_visits_load_with_state_derived_from_the_timeline(orm: str) -> None:
    await load_document(minimal_document())

    dispute = await Case.get(number="C1").prefetch_related("township", "village")
    assert dispute.township.code == TOWNSHIP and dispute.village.code == VILLAGE
    assert (dispute.reported_level, dispute.level, dispute.status) == (CaseLevel.VILLAGE, CaseLevel.TOWNSHIP, CaseStatus.RESOLVED)
    assert dispute.reported_at == datetime(2023, 5, 2, 2, 0, tzinfo=UTC)
    events = await CaseEvent.filter(case=dispute).order_by("seq")
    assert [(e.seq, e.type, e.to_level, e.outcome) for e in events] == [
        (1, "ESCALATED", "TOWNSHIP", None), (2, "RESOLVED", None, "MEDIATED"),
    ]
    party = await CaseParty.get(case=dispute)
    assert (party.position, party.name, party.id_number) == (1, "甲某", "52272819800101001X")
    petition = await Case.get(number="C2")
    assert petition.status == CaseStatus.ACCEPTED
    extension = await CaseEvent.get(case=petition, type="EXTENDED").prefetch_related("approver")
    assert (extension.days, extension.approver.ext_id) == (20, "P1")

    meeting = await Meeting.get(ext_id="M1")
    assert (meeting.number, meeting.status, meeting.held_at) == (25, "HELD", datetime(2023, 5, 31, 15, 30, tzinfo=UTC))
    assert sorted(await meeting.attendees.all().values_list("ext_id", flat=True)) == ["P10", "P2", "P3"]
    assert await meeting.cases.all().values_list("number", flat=True) == ["C1"]
    visit = await MediationVisit.get(ext_id="V1").prefetch_related("case")
    assert visit.case.number == "C1"


async def test_loading_the_same_document_twice_changes_nothing(orm: str) -> None:
    await load_document(minimal_document())
    counts, before = await row_counts(), await stamps()

    again = await load_document(minimal_document())

    assert not again.changed, again.as_dict()
    assert again["people"].unchanged == 8 and again["caseEvents"].unchanged == 4
    assert await row_counts() == counts
    assert await stamps() == before


async def test_a_later_document_appends_new_events_and_updates_only_what_changed(orm: str) -> None:
    await load_document(minimal_document())
    later = minimal_document()
    later["people"][0]["phone"] = "13811112222"
    later["cases"][1]["events"].append({"type": "RESOLVED", "at": "2023-09-01T10:00:00+08:00", "outcome": "SETTLED"})
    later["meetings"][0]["attendees"] = ["P2", "P3"]

    summary = await load_document(later)

    assert (summary["people"].updated, summary["people"].unchanged) == (1, 7)
    assert (await Person.get(ext_id="P1")).phone == "13811112222"
    assert (summary["caseEvents"].created, summary["caseEvents"].unchanged) == (1, 4)
    petition = await Case.get(number="C2")
    assert petition.status == CaseStatus.RESOLVED
    assert await CaseEvent.filter(case=petition).order_by("seq").values_list("seq", flat=True) == [1, 2, 3]
    assert (summary["cases"].updated, summary["cases"].unchanged) == (1, 1)
    assert (summary["meetings"].updated, summary["meetings"].created) == (1, 0)
    meeting = await Meeting.get(ext_id="M1")
    assert sorted(await meeting.attendees.all().values_list("ext_id", flat=True)) == ["P2", "P3"]


async def test_a_new_grid_worker_replaces_the_old_one(orm: str) -> None:
    await load_document(minimal_document())
    changed = minimal_document()
    changed["people"].append({"id": "P21", "name": "网格员丁"})
    changed["counties"][0]["townships"][0]["villages"][0]["grids"][0]["worker"] = "P21"

    summary = await load_document(changed)

    workers = await RoleAssignment.filter(role=Role.GRID_WORKER).values_list("person__ext_id", flat=True)
    assert workers == ["P21"]
    assert (summary["roles"].created, summary["roles"].removed) == (1, 1)


async def test_meetings_without_a_number_are_numbered_after_the_stored_ones_in_held_order(orm: str) -> None:
    await load_document(minimal_document())  # M1 is thematic #25
    document = minimal_document()
    base = {"township": TOWNSHIP, "kind": "THEMATIC", "attendees": [], "cases": []}
    document["meetings"] += [
        {**base, "id": "M3", "heldAt": "2023-06-28T09:00:00+08:00"},
        {**base, "id": "M2", "heldAt": "2023-06-14T09:00:00+08:00", "status": "SCHEDULED"},
        {**base, "id": "P1", "kind": "PLENARY", "heldAt": "2023-06-30T09:00:00+08:00"},
    ]

    await load_document(document)
    await load_document(document)  # numbers are stable on reload

    numbers = dict(await Meeting.all().values_list("ext_id", "number"))
    assert numbers == {"M1": 25, "M2": 26, "M3": 27, "P1": 1}
    assert (await Meeting.get(ext_id="M2")).status == "SCHEDULED"
    assert (await Meeting.get(ext_id="M3")).status == "HELD"


async def test_a_roster_key_left_out_keeps_the_holder_and_null_removes_it(orm: str) -> None:
    await load_document(minimal_document())
    silent = minimal_document()
    del silent["counties"][0]["townships"][0]["villages"][0]["grids"][0]["worker"]

    assert not (await load_document(silent)).changed
    assert await RoleAssignment.filter(role=Role.GRID_WORKER).count() == 1

    vacant = minimal_document()
    vacant["counties"][0]["townships"][0]["villages"][0]["grids"][0]["worker"] = None
    summary = await load_document(vacant)

    assert summary["roles"].removed == 1
    assert not await RoleAssignment.filter(role=Role.GRID_WORKER).exists()
