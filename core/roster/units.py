"""Creating, renaming and retiring villages, grids, household groups and party groups (code rules as in the import)."""

from __future__ import annotations

from core import clock
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.models import Model

from models.alerts import Alert
from models.columns import MAX_INT
from models.enums import VillageKind
from models.units import Grid, HouseholdGroup, PartyGroup
from rules.config import RulesConfig
from core.audit import Actor, record_audit
from core.compliance import run_compliance
from core.periods import FIRST_YEAR, LAST_YEAR
from core.references import NO_UNIT
from core.roster.retired import refuse_retired
from core.roster.units_of import CODE_RULE, MODEL_OF, PARENT_KIND, Located, UnitKind, kind_of_code, locate
from core.transaction import AlertEvent, alert_transaction
from core.unit_codes import code_problem
from core.writes import Problems

NAMED = frozenset({UnitKind.VILLAGE, UnitKind.GRID, UnitKind.PARTY_GROUP})  # household groups have no name
# Children that must be retired first: a unit is never retired under live units.
CHILDREN: dict[UnitKind, tuple[tuple[type[Model], str], ...]] = {
    UnitKind.VILLAGE: ((Grid, "village_id"), (PartyGroup, "village_id")),
    UnitKind.GRID: ((HouseholdGroup, "grid_id"),),
    UnitKind.HOUSEHOLD_GROUP: (),
    UnitKind.PARTY_GROUP: (),
}


@dataclass(frozen=True, slots=True)
class UnitFigures:
    village_kind: VillageKind | None = None
    households: int | None = None
    population: int | None = None
    groups: int | None = None


@dataclass(frozen=True, slots=True)
class UnitWrite:
    kind: UnitKind
    unit: Model
    alert_changes: list[tuple[AlertEvent, Alert]]


def unit_snapshot(kind: UnitKind, unit: Any) -> dict[str, Any]:
    """A unit as the audit trail keeps it."""
    keys = ("code", "name", "kind", "households", "population", "groups", "retired_on")
    return {"unit": kind.value} | {k: getattr(unit, k) for k in keys if hasattr(unit, k)}


def _figures(problems: Problems, kind: UnitKind, figures: UnitFigures) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("households", "population", "groups"):
        value = getattr(figures, name)
        if value is None:
            continue
        if not 0 <= value <= MAX_INT:
            problems.add(["input", name], "INVALID", f"must be between 0 and {MAX_INT}; got {value}")
        allowed = {UnitKind.VILLAGE: {"households", "population", "groups"}, UnitKind.HOUSEHOLD_GROUP: {"households"}}.get(kind, set())
        if name not in allowed:
            problems.add(["input", name], "INVALID", f"a {kind.value} has no {name}")
        values[name] = value
    if figures.village_kind is not None:
        if kind is not UnitKind.VILLAGE:
            problems.add(["input", "villageKind"], "INVALID", "only villages have a villageKind")
        values["kind"] = figures.village_kind
    elif kind is UnitKind.VILLAGE:
        values["kind"] = VillageKind.VILLAGE
    return values


async def _reevaluate(unit: Located, actor: Actor, rules: RulesConfig) -> None:
    await run_compliance(rules=rules, county_code=unit.county_code, as_of=clock.now(), township_code=unit.township_code,
                         trigger="WRITE", actor=actor.name)


async def create_unit(
    *, actor: Actor, rules: RulesConfig, kind: UnitKind, parent_code: str, code: str, name: str | None, figures: UnitFigures, problems: Problems,
) -> UnitWrite:
    """A new unit under a live parent, its code checked by the import's rules (core.unit_codes)."""
    if kind not in CODE_RULE:
        problems.add(["input", "kind"], "INVALID", "villages, grids, household groups and party groups can be created here")
        problems.check()
    parent = await locate(PARENT_KIND[kind], parent_code)
    if parent is None:
        problems.add(["input", "parentCode"], "NOT_FOUND", f"{NO_UNIT} (a {kind.value.lower().replace('_', ' ')} hangs from a {PARENT_KIND[kind].value.lower()})")
    else:  # a township is never retired; a village or grid that is takes no new children
        refuse_retired(problems, ["input", "parentCode"], code=parent_code, retired_on=getattr(parent.row, "retired_on", None), day=None)
    clean_code = problems.text(code, ["input", "code"], required=True, limit=20)
    if clean_code is not None and (why := code_problem(CODE_RULE[kind], clean_code, parent_code)) is not None:
        problems.add(["input", "code"], "INVALID", why)
    clean_name = problems.text(name, ["input", "name"], required=kind in NAMED, limit=64)
    if kind not in NAMED and clean_name is not None:
        problems.add(["input", "name"], "INVALID", "household groups have no name (they are known by code)")
    values = _figures(problems, kind, figures)
    problems.check()
    assert parent is not None and clean_code is not None
    model = MODEL_OF[kind]
    link = {UnitKind.VILLAGE: "township_id", UnitKind.GRID: "village_id", UnitKind.HOUSEHOLD_GROUP: "grid_id",
            UnitKind.PARTY_GROUP: "village_id"}[kind]
    async with alert_transaction(county_code=parent.county_code) as scope:
        if await MODEL_OF[kind].exists(code=clean_code):
            problems.add(["input", "code"], "CONFLICT", f"a {kind.value.lower().replace('_', ' ')} with code {clean_code} exists")
            problems.check()
        unit = await model.create(code=clean_code, **({"name": clean_name} if kind in NAMED else {}), **values, **{link: parent.row.pk})
        await record_audit(actor=actor, action="createUnit", entity="unit", entity_key=clean_code, county_code=parent.county_code,
                           before=None, after=unit_snapshot(kind, unit))
        await _reevaluate(parent, actor, rules)  # a new grid or household group has nobody yet: the roster rules say so now
    return UnitWrite(kind, unit, scope.changed())


async def _existing(problems: Problems, code: str) -> Located | None:
    kind = kind_of_code(code)
    unit = await locate(kind, code) if kind in CODE_RULE else None  # type: ignore[arg-type]
    if unit is None:
        problems.add(["input", "code"], "NOT_FOUND", "no village, grid, household group or party group with this code")
    else:
        refuse_retired(problems, ["input", "code"], code=code, retired_on=unit.row.retired_on, day=None)  # type: ignore[attr-defined]
    return unit


async def update_unit(*, actor: Actor, code: str, name: str | None, figures: UnitFigures, problems: Problems) -> UnitWrite:
    """Rename a unit or correct its figures (fields left None keep their value)."""
    unit = await _existing(problems, code)
    if unit is None:
        problems.check()
    assert unit is not None
    clean_name = problems.text(name, ["input", "name"], required=False, limit=64)
    if clean_name is not None and unit.kind not in NAMED:
        problems.add(["input", "name"], "INVALID", "household groups have no name (they are known by code)")
    values = _figures(problems, unit.kind, figures) if figures != UnitFigures() else {}
    if figures.village_kind is None:
        values.pop("kind", None)
    problems.check()
    async with alert_transaction(county_code=unit.county_code) as scope:
        before = unit_snapshot(unit.kind, unit.row)
        if clean_name is not None:
            values["name"] = clean_name
        unit.row.update_from_dict(values)
        await unit.row.save()
        await record_audit(actor=actor, action="updateUnit", entity="unit", entity_key=code, county_code=unit.county_code,
                           before=before, after=unit_snapshot(unit.kind, unit.row))
    return UnitWrite(unit.kind, unit.row, scope.changed())


async def retire_unit(*, actor: Actor, rules: RulesConfig, code: str, on: date, problems: Problems) -> UnitWrite:
    """Retire a unit (merged or dissolved) from a day; its live children must be retired or moved first."""
    unit = await _existing(problems, code)
    if not FIRST_YEAR <= on.year <= LAST_YEAR:
        problems.add(["input", "on"], "INVALID", f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got {on}")
    problems.check()
    assert unit is not None
    async with alert_transaction(county_code=unit.county_code) as scope:
        for model, link in CHILDREN[unit.kind]:
            live = await model.filter(**{link: unit.row.pk, "retired_on__isnull": True}).values_list("code", flat=True)
            if live:
                problems.add(["input", "code"], "CONFLICT", f"{code} still has live units: {', '.join(sorted(live)[:5])}; retire them first")
        problems.check()
        before = unit_snapshot(unit.kind, unit.row)
        unit.row.retired_on = on  # type: ignore[attr-defined]
        await unit.row.save(update_fields=["retired_on"])
        await record_audit(actor=actor, action="retireUnit", entity="unit", entity_key=code, county_code=unit.county_code,
                           before=before, after=unit_snapshot(unit.kind, unit.row))
        await _reevaluate(unit, actor, rules)
    return UnitWrite(unit.kind, unit.row, scope.changed())
