"""Finding a unit by its code and kind: its row, county, township (for the re-evaluation scope) and parent code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tortoise.models import Model

from models.enums import Role
from models.people import ROLE_UNIT_FIELD, RoleAssignment
from models.units import County, Grid, HouseholdGroup, PartyGroup, Township, Village


class UnitKind(StrEnum):
    COUNTY = "COUNTY"
    TOWNSHIP = "TOWNSHIP"
    VILLAGE = "VILLAGE"
    GRID = "GRID"
    HOUSEHOLD_GROUP = "HOUSEHOLD_GROUP"
    PARTY_GROUP = "PARTY_GROUP"


MODEL_OF: dict[UnitKind, type[Model]] = {
    UnitKind.COUNTY: County, UnitKind.TOWNSHIP: Township, UnitKind.VILLAGE: Village, UnitKind.GRID: Grid,
    UnitKind.HOUSEHOLD_GROUP: HouseholdGroup, UnitKind.PARTY_GROUP: PartyGroup,
}
# The code rule of each kind in core.unit_codes, and the kind of its parent.
CODE_RULE = {UnitKind.VILLAGE: "village", UnitKind.GRID: "grid", UnitKind.HOUSEHOLD_GROUP: "household group", UnitKind.PARTY_GROUP: "party group"}
PARENT_KIND = {UnitKind.VILLAGE: UnitKind.TOWNSHIP, UnitKind.GRID: UnitKind.VILLAGE, UnitKind.HOUSEHOLD_GROUP: UnitKind.GRID, UnitKind.PARTY_GROUP: UnitKind.VILLAGE}
KIND_OF_ROLE_FIELD = {"county": UnitKind.COUNTY, "township": UnitKind.TOWNSHIP, "grid": UnitKind.GRID,
                      "household_group": UnitKind.HOUSEHOLD_GROUP, "party_group": UnitKind.PARTY_GROUP}
# From each kind to its county and township codes (SQL paths).
_UP = {
    UnitKind.COUNTY: ("code", None),
    UnitKind.TOWNSHIP: ("county__code", "code"),
    UnitKind.VILLAGE: ("township__county__code", "township__code"),
    UnitKind.GRID: ("village__township__county__code", "village__township__code"),
    UnitKind.HOUSEHOLD_GROUP: ("grid__village__township__county__code", "grid__village__township__code"),
    UnitKind.PARTY_GROUP: ("village__township__county__code", "village__township__code"),
}


def kind_of_role(role: Role) -> UnitKind:
    """The kind of unit a role is held in."""
    return KIND_OF_ROLE_FIELD[ROLE_UNIT_FIELD[role]]


def kind_of_code(code: str) -> UnitKind | None:
    """The kind a code's shape names (party groups carry a `P`); None when no kind fits."""
    if "P" in code:
        return UnitKind.PARTY_GROUP
    return {6: UnitKind.COUNTY, 9: UnitKind.TOWNSHIP, 12: UnitKind.VILLAGE, 14: UnitKind.GRID, 16: UnitKind.HOUSEHOLD_GROUP}.get(len(code))


def parent_code(code: str) -> str:
    """The code of the unit a unit hangs from (who manages it): 522728109201 → 522728109, …P3 → its village."""
    if "P" in code:
        return code[: code.index("P")]
    return code[: {16: 14, 14: 12, 12: 9, 9: 6}.get(len(code), 0)]


@dataclass(frozen=True, slots=True)
class Located:
    kind: UnitKind
    row: Model
    county_code: str
    township_code: str | None


async def locate(kind: UnitKind, code: str) -> Located | None:
    """The unit of this kind and code with its county and township codes, or None."""
    county_path, township_path = _UP[kind]
    model = MODEL_OF[kind]
    row = await model.filter(code=code).first()
    if row is None:
        return None
    paths = [county_path] + ([township_path] if township_path else [])
    found = await model.filter(id=row.pk).values_list(*paths)
    county_code, township_code = (found[0][0], found[0][1] if township_path else None)
    return Located(kind, row, county_code, township_code)


async def unit_of_assignment(row: RoleAssignment) -> Located:
    """The unit a role assignment is held in (its one set unit link)."""
    kind = kind_of_role(Role(row.role))
    unit_id = getattr(row, f"{ROLE_UNIT_FIELD[Role(row.role)]}_id")
    code = (await MODEL_OF[kind].get(id=unit_id)).code  # type: ignore[attr-defined]
    located = await locate(kind, code)
    assert located is not None
    return located
