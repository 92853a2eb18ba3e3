"""What a write may name besides the unit it acts on: people in a role fitting the field, cases of the unit.

Every ID or code in a mutation input is a jurisdiction question, and a reference outside what the
caller may use answers exactly like one that does not exist (NOT_FOUND, one message per field,
whatever the reason): a write must never tell what exists elsewhere, nor link — and so reveal —
someone the caller may not see. The unit a mutation acts on is checked before it runs
(`resolvers.root_rules` blanks it when it is missing or out of reach, so the service answers NOT_FOUND
with every other problem of the input, as for a missing one); the other references are checked here.

- attendees of a township's meeting: that township's joint meeting (its chief convener and
  conveners) and the county bureau (head, leaders, staff: 分片联系).
- the approver of a case's extension: the county bureau head, or — for a case below county level —
  the chief convener of the case's township (信访工作条例 art. 34: the agency head approves).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from models.cases import Case
from models.enums import BUREAU_ROLES, CaseLevel, Role
from models.people import Person, RoleAssignment

if TYPE_CHECKING:
    from core.viewer import Viewer
    from core.writes import Problems

MEETING_ROLES = frozenset({Role.CHIEF_CONVENER, Role.CONVENER})


# The NOT_FOUND messages name the field, never the value: the same words whether the thing is missing or out of reach.
NO_TOWNSHIP = "no township with this code"
NO_VILLAGE = "no village with this code"
NO_COUNTY = "no county with this code"
NO_CASE = "no case with this number"
NO_MEETING = "no meeting with this id"
NO_PERSON = "no person with this id"
NO_UNIT = "no unit of this kind with this code"
NO_ROLE_ASSIGNMENT = "no role assignment with this id"

# Where a role assignment is held, as code paths (one is set per row).
ROLE_UNIT_CODES = ("county__code", "township__code", "grid__code", "household_group__code", "party_group__code")


async def person_in_reach(person_id: int, viewer: Viewer | None) -> bool:
    """Someone the token may name in a roster write: anyone recorded for ADMIN, else a holder (past or present)
    of a role inside the jurisdiction. A person from another township or county reads as missing."""
    if viewer is None:
        return False
    if viewer.is_admin:
        return await Person.exists(id=person_id)
    if not viewer.scope_code:
        return False
    for path in ROLE_UNIT_CODES:
        if await RoleAssignment.exists(person_id=person_id, **{f"{path}__startswith": viewer.scope_code}):
            return True
    return False


async def visit_staff_of(
    ids: Sequence[int], *, village_id: int, township_id: int, county_id: int, problems: Problems, field: Sequence[str | int]
) -> list[Person]:
    """The officials who may go on a mediation visit to a village: those holding a role in the village (grid,
    household group, party group), in its township, or at the county bureau; anyone else is NOT_FOUND."""
    if not ids:
        return []
    wanted = list(ids)
    known: set[int] = set()
    for filters in (
        {"grid__village_id": village_id}, {"household_group__grid__village_id": village_id}, {"party_group__village_id": village_id},
        {"township_id": township_id}, {"county_id": county_id, "role__in": list(BUREAU_ROLES)},
    ):
        known.update(await RoleAssignment.filter(person_id__in=wanted, **filters).values_list("person_id", flat=True))
    people = {p.id: p for p in await Person.filter(id__in=list(known))}
    for index, person_id in enumerate(ids):
        if person_id not in people:
            problems.add([*field, index], "NOT_FOUND", "no person with this id in this village, its township or the county bureau")
    return [people[i] for i in ids if i in people]


async def bureau_member(person_id: int, *, county_id: int) -> bool:
    """Does the person hold (or has held) a bureau role in this county?"""
    return await RoleAssignment.exists(person_id=person_id, county_id=county_id, role__in=list(BUREAU_ROLES))


async def attendees_of(
    ids: Sequence[int], *, township_id: int, county_id: int, problems: Problems, field: Sequence[str | int]
) -> list[Person]:
    """The people among `ids` who sit on the township's joint meeting or work at the county bureau; others are NOT_FOUND."""
    if not ids:
        return []
    known = set(await RoleAssignment.filter(person_id__in=list(ids), township_id=township_id, role__in=list(MEETING_ROLES))
                .values_list("person_id", flat=True))
    known |= set(await RoleAssignment.filter(person_id__in=list(ids), county_id=county_id, role__in=list(BUREAU_ROLES))
                 .values_list("person_id", flat=True))
    people = {p.id: p for p in await Person.filter(id__in=list(known))}
    for index, person_id in enumerate(ids):
        if person_id not in people:
            problems.add([*field, index], "NOT_FOUND",
                         f"no person with id {person_id} on this township's joint meeting or at the county bureau")
    return [people[i] for i in ids if i in people]


async def approver_of(person_id: int, *, case: Case, county_id: int, problems: Problems, field: Sequence[str]) -> None:
    """The approver must head the agency the case sits with (bureau head; the township's chief convener below county level)."""
    heads = RoleAssignment.filter(person_id=person_id, county_id=county_id, role=Role.BUREAU_HEAD)
    if await heads.exists():
        return
    if case.level != CaseLevel.COUNTY and await RoleAssignment.exists(
        person_id=person_id, township_id=case.township_id, role=Role.CHIEF_CONVENER  # type: ignore[attr-defined]
    ):
        return
    problems.add(field, "NOT_FOUND", f"no person with id {person_id} who heads the agency handling this case")


async def cases_of_township(numbers: Sequence[str], *, township_id: int, problems: Problems) -> list[Case]:
    """The township's own cases among `numbers` (a meeting discusses its township's cases); others are NOT_FOUND."""
    found = {c.number: c for c in await Case.filter(number__in=list(numbers), township_id=township_id)} if numbers else {}
    for index, number in enumerate(numbers):
        if number not in found:
            problems.add(["input", "caseNumbers", index], "NOT_FOUND", f"{NO_CASE} in this township")
        if list(numbers).count(number) > 1:
            problems.add(["input", "caseNumbers", index], "INVALID", f"case {number!r} is listed twice")
    return [found[n] for n in dict.fromkeys(numbers) if n in found]
