"""The validated document in typed form: what the writer turns into rows, with nothing left to check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from models.enums import (
    CaseCategory,
    CaseChannel,
    CaseEventType,
    CaseKind,
    CaseLevel,
    CaseOutcome,
    MeetingKind,
    MeetingStatus,
    Role,
    TownshipKind,
    VillageKind,
)


@dataclass(slots=True)
class PersonIn:
    ext_id: str
    name: str
    phone: str | None


@dataclass(slots=True)
class CountyIn:
    code: str
    name: str
    timezone: str
    supervised_from: date | None = None  # the evaluation start (DESIGN §2); only written when the key was given
    supervised_from_given: bool = False


@dataclass(slots=True)
class TownshipIn:
    code: str
    name: str
    kind: TownshipKind
    county: str
    established_on: date | None  # None: the document does not describe the joint meeting


@dataclass(slots=True)
class VillageIn:
    code: str
    name: str
    kind: VillageKind
    township: str
    households: int
    population: int
    groups: int


@dataclass(slots=True)
class GridIn:
    code: str
    name: str
    village: str


@dataclass(slots=True)
class HouseholdGroupIn:
    code: str
    grid: str
    households: int


@dataclass(slots=True)
class PartyGroupIn:
    code: str
    name: str
    village: str


@dataclass(frozen=True, slots=True)
class RoleIn:
    """A role held in one unit; (person, role, unit, valid_from) is its natural key."""

    person: str
    role: Role
    unit: str  # the unit's code; the unit kind follows from the role
    valid_from: date | None
    valid_to: date | None


@dataclass(slots=True)
class SupervisionIn:
    leader: str
    township: str
    valid_from: date
    valid_to: date | None
    path: str = field(default="", compare=False)  # where it is in the document, for overlap messages


@dataclass(slots=True)
class MeetingIn:
    ext_id: str
    township: str
    kind: MeetingKind
    status: MeetingStatus
    number: int  # resolved: given, kept from the database, or assigned in heldAt order
    held_at: datetime
    title: str | None
    attendees: list[str]
    cases: list[str]


@dataclass(frozen=True, slots=True)
class PartyIn:
    name: str
    phone: str | None
    id_number: str | None


@dataclass(frozen=True, slots=True)
class EventIn:
    type: CaseEventType
    at: datetime
    to_level: CaseLevel | None = None
    days: int | None = None
    approver: str | None = None
    outcome: CaseOutcome | None = None
    note: str | None = None


@dataclass(slots=True)
class CaseIn:
    number: str
    kind: CaseKind
    category: CaseCategory
    channel: CaseChannel
    village: str
    township: str
    reported_level: CaseLevel
    reported_at: datetime
    title: str
    parties: list[PartyIn]
    events: list[EventIn]


@dataclass(slots=True)
class VisitIn:
    ext_id: str
    village: str
    at: datetime
    case: str | None
    note: str | None
    outcome: str | None = None
    staff: list[str] = field(default_factory=list)  # person ids (lianxi/v1)
    cases: list[str] = field(default_factory=list)  # case numbers, `case` included


@dataclass(slots=True)
class Plan:
    """Everything the document says, ready to upsert in dependency order."""

    people: list[PersonIn] = field(default_factory=list)
    counties: list[CountyIn] = field(default_factory=list)
    townships: list[TownshipIn] = field(default_factory=list)
    villages: list[VillageIn] = field(default_factory=list)
    grids: list[GridIn] = field(default_factory=list)
    household_groups: list[HouseholdGroupIn] = field(default_factory=list)
    party_groups: list[PartyGroupIn] = field(default_factory=list)
    roles: list[RoleIn] = field(default_factory=list)
    # (role, unit code) slots whose holders the document states: stored holders not listed are removed.
    role_slots: set[tuple[Role, str]] = field(default_factory=set)
    supervision: list[SupervisionIn] = field(default_factory=list)
    cases: list[CaseIn] = field(default_factory=list)
    meetings: list[MeetingIn] = field(default_factory=list)
    visits: list[VisitIn] = field(default_factory=list)
