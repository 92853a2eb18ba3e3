"""Shared by the write services: collecting every problem of an input before refusing it whole."""

from __future__ import annotations

from core import clock
from collections.abc import Sequence
from datetime import datetime, timedelta


from models.people import Person, RoleAssignment
from models.supervision import SupervisionAssignment
from core.errors import WriteRefused
from core.global_ids import from_global_id
from core.periods import FIRST_YEAR, LAST_YEAR

# Clocks differ between a township office PC and the server; more than this is a typo.
CLOCK_SKEW = timedelta(minutes=10)
MAX_TEXT = 200
MAX_NOTE = 2000


class Problems:
    """Collects (field path, code, message) problems; `check()` raises them together."""

    def __init__(self) -> None:
        self.items: list[tuple[list[str], str, str]] = []

    def add(self, field: Sequence[str | int], code: str, message: str) -> None:
        self.items.append(([str(part) for part in field], code, message))

    def check(self) -> None:
        if self.items:
            raise WriteRefused(self.items)

    def aware(self, at: datetime, field: Sequence[str | int]) -> bool:
        """A moment must carry its offset (periods and deadlines are local to the county)."""
        if at.tzinfo is None or at.utcoffset() is None:
            self.add(field, "INVALID", "needs a time zone offset, e.g. 2023-05-31T23:30:00+08:00")
            return False
        if not FIRST_YEAR < at.year < LAST_YEAR:
            self.add(field, "INVALID", f"must lie between the years {FIRST_YEAR + 1} and {LAST_YEAR - 1}; got {at.isoformat()}")
            return False
        return True

    def not_future(self, at: datetime, field: Sequence[str | int], what: str) -> None:
        if self.aware(at, field) and at > clock.now() + CLOCK_SKEW:
            self.add(field, "INVALID", f"{what} cannot be in the future ({at.isoformat()})")

    def text(self, value: str | None, field: Sequence[str | int], *, required: bool, limit: int = MAX_TEXT) -> str | None:
        """Trimmed text within its length limit; None (and a problem if required) when empty."""
        cleaned = value.strip() if value is not None else None
        if not cleaned:
            if required:
                self.add(field, "INVALID", "must not be empty")
            return None
        if len(cleaned) > limit:
            self.add(field, "INVALID", f"at most {limit} characters (got {len(cleaned)})")
        if "\x00" in cleaned:
            self.add(field, "INVALID", "must not contain NUL characters")
        return cleaned

    def ids(self, global_ids: Sequence[str], type_name: str, field: Sequence[str | int]) -> list[int]:
        """Database ids of global IDs of one type, each listed once."""
        ids: list[int] = []
        for index, global_id in enumerate(global_ids):
            decoded = from_global_id(str(global_id))
            if decoded is None or decoded[0] != type_name:
                self.add([*field, index], "INVALID", f"{global_id!r} is not a {type_name} id")
            elif decoded[1] in ids:
                self.add([*field, index], "INVALID", f"{type_name} {global_id!r} is listed twice")
            else:
                ids.append(decoded[1])
        return ids


# The units a role can be held in, as paths from RoleAssignment to the county id.
_ROLE_UNIT_COUNTY = (
    "county_id", "township__county_id", "grid__village__township__county_id",
    "household_group__grid__village__township__county_id", "party_group__village__township__county_id",
)


async def people_of_county(
    ids: Sequence[int], county_id: int, problems: Problems, field: Sequence[str | int], *, indexed: bool = True
) -> list[Person]:
    """The people among `ids` who hold a role in the county or supervise one of its townships.

    Anyone else reads as NOT_FOUND: a write must not link (and so reveal) an official of another county.
    """
    if not ids:
        return []
    known: set[int] = set()
    for path in _ROLE_UNIT_COUNTY:
        known.update(await RoleAssignment.filter(person_id__in=list(ids), **{path: county_id}).values_list("person_id", flat=True))
    known.update(await SupervisionAssignment.filter(leader_id__in=list(ids), township__county_id=county_id).values_list("leader_id", flat=True))
    people = {p.id: p for p in await Person.filter(id__in=list(known))}
    for index, person_id in enumerate(ids):
        if person_id not in people:
            problems.add([*field, index] if indexed else field, "NOT_FOUND", f"no person with id {person_id} in this county")
    return [people[i] for i in ids if i in people]
