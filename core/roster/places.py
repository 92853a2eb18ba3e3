"""Where a person serves: every unit they hold or held a role in, supervise, attended a meeting of or visited.

One person row is shared by every place they serve (a grid worker in township A who also convenes in
township B is one row): a correction made by one place changes what every other place shows. So who may
edit a person, and which counties' audit logs record the edit, both follow from these places
(`core.viewer.person_edit_refusal`, `core.roster.service.update_person`). Past and future assignments count
as much as present ones: the person is the same row whatever the dates.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.meetings import Meeting
from models.people import RoleAssignment
from models.rotation import Unavailability
from models.supervision import SupervisionAssignment
from models.visits import VisitStaff
from core.references import ROLE_UNIT_CODES

COUNTY_CODE_LENGTH = 6  # every unit code starts with its county's (core.viewer.SCOPE_LENGTH)


@dataclass(frozen=True, slots=True)
class Places:
    """The unit codes a person serves in (a county code for bureau roles) and the counties they lie in."""

    codes: frozenset[str]

    @property
    def counties(self) -> list[str]:
        """The counties of these places, sorted (an edit is audited once in each)."""
        return sorted({code[:COUNTY_CODE_LENGTH] for code in self.codes})


async def places_of(person_id: int) -> Places:
    """Every place the person serves or served, whatever the dates (roles, rotation, meetings, visits, leave)."""
    codes: set[str] = set()
    for row in await RoleAssignment.filter(person_id=person_id).values_list(*ROLE_UNIT_CODES):
        codes.update(code for code in row if code)
    codes.update(await SupervisionAssignment.filter(leader_id=person_id).values_list("township__code", flat=True))
    codes.update(await Meeting.filter(attendees__id=person_id).values_list("township__code", flat=True))
    codes.update(await VisitStaff.filter(person_id=person_id).values_list("visit__village__code", flat=True))
    codes.update(await Unavailability.filter(person_id=person_id).values_list("county__code", flat=True))
    return Places(frozenset(code for code in codes if code))
