"""Assigning a bureau leader to a township for a date range; the township's rules are re-evaluated with it."""

from __future__ import annotations

from core import clock
from dataclasses import dataclass
from datetime import date

from models.alerts import Alert
from models.enums import SUPERVISING_ROLES
from models.people import Person, RoleAssignment, overlaps
from models.supervision import SupervisionAssignment
from models.units import Township
from rules.config import RulesConfig
from core.audit import Actor, record_audit
from core.compliance import run_compliance
from core.periods import FIRST_YEAR, LAST_YEAR
from core.references import NO_TOWNSHIP
from core.transaction import AlertEvent, alert_transaction
from core.writes import Problems


@dataclass(frozen=True, slots=True)
class AssignmentWrite:
    assignment: SupervisionAssignment
    alert_changes: list[tuple[AlertEvent, Alert]]


async def assign_supervisor(
    *, actor: Actor, rules: RulesConfig, leader_id: int | None, township_code: str, valid_from: date, valid_to: date | None, problems: Problems
) -> AssignmentWrite:
    """Assign a BUREAU_LEADER or BUREAU_HEAD of the township's county; periods of one leader and township never overlap."""
    township = await Township.filter(code=township_code).prefetch_related("county").first()
    if township is None:
        problems.add(["input", "townshipCode"], "NOT_FOUND", NO_TOWNSHIP)
    leader = await Person.filter(id=leader_id).first() if leader_id is not None else None
    for name, day in (("from", valid_from), ("to", valid_to)):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            problems.add(["input", name], "INVALID", f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got {day}")
    if valid_to is not None and valid_to < valid_from:
        problems.add(["input", "to"], "INVALID", f"the period ends ({valid_to}) before it starts ({valid_from})")
    if township is not None:
        # someone who does not exist and someone who is no leader of this county read alike (no oracle of person ids)
        roles = await RoleAssignment.filter(person_id=leader.id, county_id=township.county.id, role__in=list(SUPERVISING_ROLES)) if leader else []
        if not any(overlaps(r.valid_from, r.valid_to, valid_from, valid_to) for r in roles):
            problems.add(["input", "leaderId"], "NOT_FOUND", f"no BUREAU_LEADER or BUREAU_HEAD of {township.county.name} with this id during this period")
    problems.check()
    assert township is not None and leader is not None
    county_code = township.county.code
    async with alert_transaction(county_code=county_code) as scope:
        for other in await SupervisionAssignment.filter(leader_id=leader.id, township_id=township.id):
            if overlaps(other.valid_from, other.valid_to, valid_from, valid_to):
                problems.add(["input", "from"], "CONFLICT",
                             f"{leader.name} is already assigned to {township.name} from {other.valid_from} to {other.valid_to or 'open-ended'}")
        problems.check()
        row = await SupervisionAssignment.create(leader_id=leader.id, township_id=township.id, valid_from=valid_from, valid_to=valid_to)
        await record_audit(actor=actor, action="assignSupervisor", entity="supervision", entity_key=str(row.id), county_code=county_code,
                           before=None, after={"leader": leader.id, "leaderName": leader.name, "township": township.code, "from": valid_from, "to": valid_to})
        await run_compliance(rules=rules, county_code=county_code, as_of=clock.now(), township_code=township.code, trigger="WRITE", actor=actor.name)
    return AssignmentWrite(row, scope.changed())
