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
  this module); a unit learned late (from the thing a mutation names) is checked there too (`root_refusal`).
- Personal data (case parties' names, phones, ID numbers; people's phones) goes through `core.viewer.mask_*`;
  `Viewer` itself (and `alert_visible`) lives in `core.viewer`, which the services share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from core.errors import ExpectedError
from core.viewer import Viewer
from models.enums import TokenRole
from models.meetings import Meeting
from models.people import RoleAssignment
from models.supervision import SupervisionAssignment
from resolvers.context import Context
from resolvers.units import loaders as units

T = TypeVar("T")

EVERYONE = frozenset(TokenRole)
COUNTY_READERS = frozenset({TokenRole.ADMIN, TokenRole.BUREAU, TokenRole.AUDITOR})
COUNTY_WRITERS = frozenset({TokenRole.ADMIN, TokenRole.BUREAU})

class Forbidden(ExpectedError):
    """The viewer may not do this; the message says why (never what exists outside the jurisdiction)."""

    code = "FORBIDDEN"


def viewer_of(context: Context) -> Viewer:
    """The request's viewer; a request without one (never authenticated) may read nothing."""
    viewer = getattr(context, "viewer", None)
    if not isinstance(viewer, Viewer):
        raise Forbidden("not authenticated")
    return viewer


def sees(context: Context, code: str | None) -> bool:
    return viewer_of(context).sees(code)


def scoped(queryset: QuerySet[Any], context: Context, code_path: str) -> QuerySet[Any]:
    """Restrict a queryset in SQL to rows whose unit code (at `code_path`, e.g. `village__code`) is in scope."""
    viewer = viewer_of(context)
    if viewer.is_admin:
        return queryset
    return queryset.filter(Q(**{f"{code_path}__startswith": viewer.scope_code}))


def only_visible(context: Context, items: Iterable[T], code_of: Callable[[T], str | None]) -> list[T]:
    """The items whose unit code is in scope, in their order."""
    viewer = viewer_of(context)
    if viewer.is_admin:
        return list(items)
    return [item for item in items if viewer.sees(code_of(item))]


# --- Objects by type: the unit code that decides who may see them ---------------------------------


async def _code_via_loader(context: Context, loader: type, row_id: int | None) -> str | None:
    if row_id is None:
        return None
    unit = await context.loader(loader).load(row_id)
    return unit.code if unit else None


async def unit_code_of(context: Context, type_name: str, row: Any) -> str | None:
    """The code of the unit an object belongs to (None: no unit, visible to ADMIN only)."""
    if type_name in ("County", "Township", "Village", "Grid", "HouseholdGroup", "PartyGroup"):
        return str(row.code)
    if type_name == "Meeting":
        return await _code_via_loader(context, units.TownshipByIdLoader, row.township_id)
    if type_name in ("Case", "MediationVisit"):
        return await _code_via_loader(context, units.VillageByIdLoader, row.village_id)
    if type_name == "Alert":
        if getattr(row, "township_id", None) is not None:
            return await _code_via_loader(context, units.TownshipByIdLoader, row.township_id)
        return await _code_via_loader(context, units.CountyByIdLoader, row.county_id)
    if type_name == "RuleRun":
        return await _code_via_loader(context, units.CountyByIdLoader, row.county_id)
    return None


async def person_visible(context: Context, person_id: int) -> bool:
    """A person is visible where they hold a role, supervise a township or attended a meeting in scope."""
    viewer = viewer_of(context)
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


async def object_visible(context: Context, type_name: str, row: Any) -> bool:
    """May the viewer see this row, fetched by `node(id)`?"""
    viewer = viewer_of(context)
    if viewer.is_admin:
        return True
    if type_name == "Person":
        return await person_visible(context, row.id)
    return viewer.sees(await unit_code_of(context, type_name, row))
