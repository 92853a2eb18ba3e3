"""Checks the people and the county tree (codes, parentage, rosters, rotation) before anything is written."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.enums import BUREAU_ROLES, SUPERVISING_ROLES, Role, TownshipKind, VillageKind
from server.load.context import Context
from server.load.plan import (
    CountyIn,
    GridIn,
    HouseholdGroupIn,
    PartyGroupIn,
    PersonIn,
    RoleIn,
    SupervisionIn,
    TownshipIn,
    VillageIn,
)
from core.party import MAX_PHONE, phone_problem
from server.load.reader import Obj
from core.unit_codes import UNIT_CODES, code_problem
from core.text_policy import TextKind

PERSON_KEYS = frozenset({"id", "name", "phone"})
COUNTY_KEYS = frozenset({"code", "name", "timezone", "supervisedFrom", "bureau", "townships", "supervision"})
BUREAU_KEYS = frozenset({"person", "role", "from", "to"})
TOWNSHIP_KEYS = frozenset({"code", "name", "kind", "jointMeeting", "villages"})
JOINT_MEETING_KEYS = frozenset({"establishedOn", "chiefConvener", "convener"})
VILLAGE_KEYS = frozenset({"code", "name", "kind", "households", "population", "groups", "grids", "partyGroups"})
GRID_KEYS = frozenset({"code", "name", "worker", "householdGroups"})
HOUSEHOLD_GROUP_KEYS = frozenset({"code", "head", "households"})
PARTY_GROUP_KEYS = frozenset({"code", "name", "leader"})
SUPERVISION_KEYS = frozenset({"leader", "township", "from", "to"})


def check_people(ctx: Context, items: list[tuple[str, Any]]) -> None:
    """people[]: unique ids, names, optional phones."""
    for path, raw in items:
        obj = Obj(ctx.problems, path, raw, PERSON_KEYS)
        ext_id = obj.text("id")
        name = obj.text("name", kind=TextKind.NAME)
        phone = obj.text("phone", required=False, max_length=MAX_PHONE, kind=TextKind.PHONE)
        if (why := phone_problem(phone)) is not None:
            ctx.problems.add(obj.at("phone"), why)
        if ext_id is not None and ctx.unique("person id", ext_id, obj.at("id")) and name is not None:
            ctx.plan.people.append(PersonIn(ext_id, name, phone))


def declare_units(ctx: Context, counties: list[tuple[str, Any]]) -> None:
    """Record every township and village code first, so cases and meetings can refer to them."""
    for _, county in counties:
        for _, township in _members(county, "townships"):
            code = township.get("code") if isinstance(township, dict) else None
            if isinstance(code, str):
                ctx.townships.add(code)
            for _, village in _members(township, "villages"):
                vcode = village.get("code") if isinstance(village, dict) else None
                if isinstance(code, str) and isinstance(vcode, str):
                    ctx.village_township[vcode] = code


def check_counties(ctx: Context, items: list[tuple[str, Any]]) -> None:
    """counties[]: the whole tree, then each county's supervision rotation."""
    bureau_by_county: dict[str, set[str] | None] = {}
    rotations: list[tuple[Obj, str | None]] = []
    for path, raw in items:
        obj = Obj(ctx.problems, path, raw, COUNTY_KEYS)
        code = _code(ctx, obj, "county", None)
        name = obj.text("name", kind=TextKind.NAME)
        timezone = obj.text("timezone", required=False) or "Asia/Shanghai"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            ctx.problems.add(obj.at("timezone"), f"{timezone!r} is not a known IANA time zone")
        supervised_from = obj.date("supervisedFrom", required=False)  # absent: a stored value is kept
        if code is not None and name is not None:
            ctx.plan.counties.append(CountyIn(code, name, timezone, supervised_from, obj.has("supervisedFrom")))
        if obj.has("bureau"):
            bureau_by_county[code or path] = _check_bureau(ctx, obj, code)
        for tpath, township in obj.items("townships"):
            _check_township(ctx, tpath, township, code)
        rotations.append((obj, code))
    for obj, code in rotations:
        supervisors = bureau_by_county.get(code or obj.path) if obj.has("bureau") else _stored_supervisors(ctx, code)
        _check_supervision(ctx, obj, code, supervisors or set())
    _check_overlaps(ctx)


def _check_bureau(ctx: Context, county: Obj, code: str | None) -> set[str]:
    """The county petition bureau: only bureau roles, dated or open-ended; returns who may supervise."""
    supervisors: set[str] = set()
    if code is not None:
        ctx.plan.role_slots.update((role, code) for role in BUREAU_ROLES)
    for path, raw in county.items("bureau"):
        obj = Obj(ctx.problems, path, raw, BUREAU_KEYS)
        person = ctx.person(obj.text("person"), obj.at("person"))
        role = obj.enum("role", Role)
        if role is not None and role not in BUREAU_ROLES:
            allowed = ", ".join(sorted(BUREAU_ROLES))
            ctx.problems.add(obj.at("role"), f"{role} is not a bureau role (expected one of: {allowed})")
            role = None
        valid_from, valid_to = _period(ctx, obj, required=False)
        if person is None or role is None or code is None:
            continue
        if ctx.unique("bureau role", (person, role, valid_from), path):
            ctx.plan.roles.append(RoleIn(person, role, code, valid_from, valid_to))
            if role in SUPERVISING_ROLES:
                supervisors.add(person)
    return supervisors


def _check_township(ctx: Context, path: str, raw: Any, county: str | None) -> None:
    obj = Obj(ctx.problems, path, raw, TOWNSHIP_KEYS)
    code = _code(ctx, obj, "township", county)
    name = obj.text("name", kind=TextKind.NAME)
    kind = obj.enum("kind", TownshipKind)
    established_on = None
    if obj.has("jointMeeting"):
        joint = Obj(ctx.problems, obj.at("jointMeeting"), obj.raw["jointMeeting"], JOINT_MEETING_KEYS)
        established_on = joint.date("establishedOn")
        for key, role in (("chiefConvener", Role.CHIEF_CONVENER), ("convener", Role.CONVENER)):
            _holder(ctx, joint, key, role, code)
    if code is not None and name is not None and kind is not None and county is not None:
        ctx.plan.townships.append(TownshipIn(code, name, kind, county, established_on))
    for vpath, village in obj.items("villages"):
        _check_village(ctx, vpath, village, code)


def _check_village(ctx: Context, path: str, raw: Any, township: str | None) -> None:
    obj = Obj(ctx.problems, path, raw, VILLAGE_KEYS)
    code = _code(ctx, obj, "village", township)
    name = obj.text("name", kind=TextKind.NAME)
    kind = obj.enum("kind", VillageKind)
    counts = [obj.integer(key, required=False) or 0 for key in ("households", "population", "groups")]
    if code is not None and name is not None and kind is not None and township is not None:
        ctx.plan.villages.append(VillageIn(code, name, kind, township, *counts))
    for gpath, grid in obj.items("grids"):
        _check_grid(ctx, gpath, grid, code)
    for ppath, raw_group in obj.items("partyGroups"):
        group = Obj(ctx.problems, ppath, raw_group, PARTY_GROUP_KEYS)
        gcode = _code(ctx, group, "party group", code)
        gname = group.text("name", kind=TextKind.NAME)
        _holder(ctx, group, "leader", Role.PARTY_GROUP_LEADER, gcode)
        if gcode is not None and gname is not None and code is not None:
            ctx.plan.party_groups.append(PartyGroupIn(gcode, gname, code))


def _check_grid(ctx: Context, path: str, raw: Any, village: str | None) -> None:
    obj = Obj(ctx.problems, path, raw, GRID_KEYS)
    code = _code(ctx, obj, "grid", village)
    name = obj.text("name", kind=TextKind.NAME)
    _holder(ctx, obj, "worker", Role.GRID_WORKER, code)
    if code is not None and name is not None and village is not None:
        ctx.plan.grids.append(GridIn(code, name, village))
    for hpath, raw_group in obj.items("householdGroups"):
        group = Obj(ctx.problems, hpath, raw_group, HOUSEHOLD_GROUP_KEYS)
        hcode = _code(ctx, group, "household group", code)
        households = group.integer("households", required=False) or 0
        _holder(ctx, group, "head", Role.HOUSEHOLD_HEAD, hcode)
        if hcode is not None and code is not None:
            ctx.plan.household_groups.append(HouseholdGroupIn(hcode, code, households))


def _holder(ctx: Context, obj: Obj, key: str, role: Role, unit: str | None) -> None:
    """A unit's single holder of a role: present (even null) means the document states who holds it."""
    if not obj.has(key):
        return
    person = ctx.person(obj.text(key, required=False), obj.at(key))
    if unit is None:
        return
    ctx.plan.role_slots.add((role, unit))
    if person is not None:
        ctx.plan.roles.append(RoleIn(person, role, unit, None, None))


def _code(ctx: Context, obj: Obj, what: str, parent: str | None) -> str | None:
    """A unit code of the right shape (core.unit_codes) that extends its parent's and appears once in the document."""
    code = obj.text("code", max_length=20)  # its shape: code_problem, which names the expected one
    if code is None:
        return None
    if UNIT_CODES[what].suffix_only and parent is None:
        return None  # the parent's code is already reported as wrong
    problem = code_problem(what, code, parent)
    if problem is not None:
        ctx.problems.add(obj.at("code"), problem)
        return None
    return code if ctx.unique(f"{what} code", code, obj.at("code")) else None


def _period(ctx: Context, obj: Obj, *, required: bool) -> tuple[date | None, date | None]:
    """A from/to pair of dates with from ≤ to (to open-ended when absent)."""
    valid_from = obj.date("from", required=required)
    valid_to = obj.date("to", required=False)
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        ctx.problems.add(obj.at("to"), f"ends ({valid_to}) before it starts ({valid_from})")
    return valid_from, valid_to


def _stored_supervisors(ctx: Context, county: str | None) -> set[str]:
    """People the database lists as head or leadership member of a county's bureau."""
    stored = ctx.existing.counties.get(county or "")
    if stored is None:
        return set()
    return {
        ctx.existing.key_of("person", row.person_id) or ""  # type: ignore[attr-defined]
        for row in ctx.existing.roles
        if row.county_id == stored.id and row.role in SUPERVISING_ROLES  # type: ignore[attr-defined]
    }


def _check_supervision(ctx: Context, county: Obj, code: str | None, supervisors: set[str]) -> None:
    """The leadership rotation: a bureau leader or head of this county, one of its townships, a valid period."""
    for path, raw in county.items("supervision"):
        obj = Obj(ctx.problems, path, raw, SUPERVISION_KEYS)
        leader = ctx.person(obj.text("leader"), obj.at("leader"))
        if leader is not None and leader not in supervisors:
            ctx.problems.add(obj.at("leader"), f"{leader!r} is not a BUREAU_LEADER or BUREAU_HEAD of county {code}")
            leader = None
        township = obj.text("township")
        if township is not None and (township not in ctx.townships and township not in ctx.existing.townships):
            ctx.problems.add(obj.at("township"), f"unknown township {township!r} (not in the document nor in the database)")
            township = None
        elif township is not None and code is not None and not township.startswith(code):
            ctx.problems.add(obj.at("township"), f"township {township} is not in county {code}")
            township = None
        valid_from, valid_to = _period(ctx, obj, required=True)
        if leader is None or township is None or valid_from is None:
            continue
        if ctx.unique("supervision", (leader, township, valid_from), path):
            ctx.plan.supervision.append(SupervisionIn(leader, township, valid_from, valid_to, path))


def _check_overlaps(ctx: Context) -> None:
    """No two periods of the same leader for the same township may overlap (stored ones included)."""
    periods: dict[tuple[str, str], list[tuple[date, date | None, str]]] = defaultdict(list)
    declared = {(s.leader, s.township, s.valid_from) for s in ctx.plan.supervision}
    for item in ctx.plan.supervision:
        periods[(item.leader, item.township)].append((item.valid_from, item.valid_to, item.path))
    for row in ctx.existing.supervision:
        leader = ctx.existing.key_of("person", row.leader_id) or ""  # type: ignore[attr-defined]
        township = ctx.existing.key_of("township", row.township_id) or ""  # type: ignore[attr-defined]
        if (leader, township) in periods and (leader, township, row.valid_from) not in declared:
            periods[(leader, township)].append((row.valid_from, row.valid_to, ""))
    for (leader, township), spans in periods.items():
        spans.sort(key=lambda span: span[0])
        for before, after in zip(spans, spans[1:], strict=False):
            if before[1] is None or after[0] <= before[1]:
                path = after[2] or before[2]
                until = before[1] or "open-ended"
                where = "a stored period" if not before[2] else before[2]
                ctx.problems.add(path, f"period for leader {leader} in township {township} overlaps {where} ({before[0]} – {until})")


def _members(raw: Any, key: str) -> list[tuple[int, Any]]:
    """Items of a list member of a raw object, tolerating any shape (used before validation)."""
    value = raw.get(key) if isinstance(raw, dict) else None
    return list(enumerate(value)) if isinstance(value, list) else []
