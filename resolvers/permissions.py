"""Who may read and change what: the one module every resolver asks.

Jurisdiction is a code prefix. Unit codes are hierarchical (county 6 digits ⊂ township 9 ⊂
village 12 ⊂ grid 14 ⊂ household group 16; party groups extend their village's code), and the
importer enforces it, so "inside my jurisdiction" is `code.startswith(viewer.scope_code)`:

- ADMIN: everything. BUREAU and AUDITOR: their county. TOWNSHIP / VILLAGE: their code and below
  (never the county above them, nor a sibling). AUDITOR is read-only and sees personal data masked.
- Every object the API hands out is in the viewer's jurisdiction. Because children extend their
  parent's code, a link *down* from an in-scope object stays in scope; checks are needed only at the
  root (lookups, connections, `node`) and on links that go *up* or *across* (Township.county,
  Case.meetings, Person.roles…). Single objects out of scope read as null; lists leave them out;
  connections filter in SQL (`scoped`) so `totalCount` is right.
- Root fields: `resolvers.root_rules.ROOT_RULES` says which roles may use each Query / Mutation /
  Subscription field and which unit a call acts on (the table and its guard live there, built on
  this module); resolvers that learn the unit late call `require_write(viewer, unit_code)` themselves.
- Personal data (case parties' names, phones, ID numbers; people's phones) goes through `mask_*`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from tortoise.expressions import Q

from models.enums import TokenRole
from resolvers.errors import ExpectedError

if TYPE_CHECKING:
    from tortoise.queryset import QuerySet

    from schema.errors import UserError

T = TypeVar("T")

EVERYONE = frozenset(TokenRole)
COUNTY_READERS = frozenset({TokenRole.ADMIN, TokenRole.BUREAU, TokenRole.AUDITOR})
COUNTY_WRITERS = frozenset({TokenRole.ADMIN, TokenRole.BUREAU})

# The code length a token's scope must have, per role (ADMIN has no scope).
SCOPE_LENGTH: dict[TokenRole, int | None] = {
    TokenRole.ADMIN: None,
    TokenRole.BUREAU: 6,
    TokenRole.AUDITOR: 6,
    TokenRole.TOWNSHIP: 9,
    TokenRole.VILLAGE: 12,
}


class Forbidden(ExpectedError):
    """The viewer may not do this; the message says why (never what exists outside the jurisdiction)."""

    code = "FORBIDDEN"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The authenticated caller: a token's role and jurisdiction."""

    role: TokenRole
    scope_code: str | None  # None only for ADMIN
    token_id: int | None = None
    name: str = "api"
    expires_at: datetime | None = None  # the token's expiry: live sockets close then

    @property
    def county_code(self) -> str | None:
        """The county the jurisdiction lies in (codes start with it); None for ADMIN."""
        return self.scope_code[:6] if self.scope_code else None

    @property
    def is_admin(self) -> bool:
        return self.role is TokenRole.ADMIN

    @property
    def read_only(self) -> bool:
        return self.role is TokenRole.AUDITOR

    def sees(self, code: str | None) -> bool:
        """Is the unit with this code (or anything under it) inside the jurisdiction?"""
        if self.is_admin:
            return True
        return bool(code) and self.scope_code is not None and code.startswith(self.scope_code)  # type: ignore[union-attr]

    def describe(self) -> str:
        return f"{self.role.value} token" + (f" for {self.scope_code}" if self.scope_code else "")


def viewer_of(info: Any) -> Viewer:
    """The request's viewer; a request without one (never authenticated) may read nothing."""
    viewer = getattr(info.context, "viewer", None)
    if not isinstance(viewer, Viewer):
        raise Forbidden("not authenticated")
    return viewer


def sees(info: Any, code: str | None) -> bool:
    return viewer_of(info).sees(code)


def scoped(queryset: QuerySet[Any], info: Any, code_path: str) -> QuerySet[Any]:
    """Restrict a queryset in SQL to rows whose unit code (at `code_path`, e.g. `village__code`) is in scope."""
    viewer = viewer_of(info)
    if viewer.is_admin:
        return queryset
    return queryset.filter(Q(**{f"{code_path}__startswith": viewer.scope_code}))


def only_visible(info: Any, items: Iterable[T], code_of: Callable[[T], str | None]) -> list[T]:
    """The items whose unit code is in scope, in their order."""
    viewer = viewer_of(info)
    if viewer.is_admin:
        return list(items)
    return [item for item in items if viewer.sees(code_of(item))]


# --- Objects by type: the unit code that decides who may see them ---------------------------------


async def _code_via_loader(info: Any, loader: type, row_id: int | None) -> str | None:
    if row_id is None:
        return None
    unit = await info.context.loader(loader).load(row_id)
    return unit.code if unit else None


async def unit_code_of(info: Any, type_name: str, row: Any) -> str | None:
    """The code of the unit an object belongs to (None: no unit, visible to ADMIN only)."""
    from resolvers.units import loaders as units

    if type_name in ("County", "Township", "Village", "Grid", "HouseholdGroup", "PartyGroup"):
        return str(row.code)
    if type_name == "Meeting":
        return await _code_via_loader(info, units.TownshipByIdLoader, row.township_id)
    if type_name in ("Case", "MediationVisit"):
        return await _code_via_loader(info, units.VillageByIdLoader, row.village_id)
    if type_name == "Alert":
        if getattr(row, "township_id", None) is not None:
            return await _code_via_loader(info, units.TownshipByIdLoader, row.township_id)
        return await _code_via_loader(info, units.CountyByIdLoader, row.county_id)
    if type_name == "RuleRun":
        return await _code_via_loader(info, units.CountyByIdLoader, row.county_id)
    return None


async def person_visible(info: Any, person_id: int) -> bool:
    """A person is visible where they hold a role, supervise a township or attended a meeting in scope."""
    from models.meetings import Meeting
    from models.people import RoleAssignment
    from models.supervision import SupervisionAssignment

    viewer = viewer_of(info)
    if viewer.is_admin:
        return True
    prefix = viewer.scope_code
    role_here = (
        Q(county__code__startswith=prefix) | Q(township__code__startswith=prefix) | Q(grid__code__startswith=prefix)
        | Q(household_group__code__startswith=prefix) | Q(party_group__code__startswith=prefix)
    )
    return (
        await RoleAssignment.filter(role_here, person_id=person_id).exists()
        or await SupervisionAssignment.filter(leader_id=person_id, township__code__startswith=prefix).exists()
        or await Meeting.filter(attendees__id=person_id, township__code__startswith=prefix).exists()
    )


async def object_visible(info: Any, type_name: str, row: Any) -> bool:
    """May the viewer see this row, fetched by `node(id)`?"""
    viewer = viewer_of(info)
    if viewer.is_admin:
        return True
    if type_name == "Person":
        return await person_visible(info, row.id)
    return viewer.sees(await unit_code_of(info, type_name, row))


def alert_visible(viewer: Viewer, *, county_code: str, township_code: str | None, subject_code: str | None = None) -> bool:
    """The rule `alerts` applies in SQL, for one alert: county roles their county's, a township its own.

    A village sees only the roster alerts of its own grids and household groups (their subject codes
    extend its code), in the payload of its own roster writes.
    """
    if viewer.is_admin:
        return True
    if viewer.role is TokenRole.VILLAGE:
        return subject_code is not None and viewer.sees(subject_code)
    if viewer.role is TokenRole.TOWNSHIP:
        return township_code == viewer.scope_code
    return county_code == viewer.scope_code


# --- Writes ---------------------------------------------------------------------------------------


def write_refusal(viewer: Viewer | None, unit_code: str | None) -> str | None:
    """Why this viewer may not change this unit (None: it may)."""
    if viewer is None:
        return "not authenticated"
    if viewer.read_only:
        return f"an {viewer.describe()} is read-only"
    if not viewer.sees(unit_code):
        return f"outside the jurisdiction of this {viewer.describe()}"
    return None


def require_write(viewer: Viewer | None, unit_code: str | None, field: list[str] | None = None) -> UserError | None:
    """For mutations: a FORBIDDEN user error when the viewer may not change `unit_code`, else None.

    ```python
    if error := require_write(info.context.viewer, township_code, ["input", "townshipCode"]):
        return MeetingPayload(meeting=None, user_errors=[error])
    ```
    """
    from schema.errors import UserError

    reason = write_refusal(viewer, unit_code)
    return None if reason is None else UserError(field=field, code="FORBIDDEN", message=f"Forbidden: {reason}.")


# --- Personal data --------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """张三 → 张*, 王小明 → 王**: the family name stays, the given name goes."""
    return name[:1] + "*" * (len(name) - 1) if name else name


def mask_phone(phone: str | None) -> str | None:
    """13912340000 → 139****0000."""
    if not phone:
        return phone
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(id_number: str | None) -> str | None:
    """522728199001011234 → 5227**********1234."""
    if not id_number:
        return id_number
    if len(id_number) < 9:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def sees_personal_data(viewer: Viewer | None, unit_code: str | None) -> bool:
    """Clear names, phones and ID numbers: ADMIN; BUREAU, TOWNSHIP and VILLAGE inside their jurisdiction; never AUDITOR."""
    if viewer is None or viewer.read_only:
        return False
    return viewer.sees(unit_code)


def sees_contact_phones(viewer: Viewer | None) -> bool:
    """Officials' phones (Person.phone): people are reachable only through objects in scope, so only the role decides."""
    return viewer is not None and not viewer.read_only
