"""Recording a mediation visit: a village, a local day, the officials, the cases touched; audited in one transaction."""

from __future__ import annotations

from core import clock
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from models.cases import Case
from models.meetings import MediationVisit
from models.units import Village
from models.visits import VisitCase, VisitOutcome, VisitStaff
from core.audit import Actor, record_audit
from core.periods import FIRST_YEAR, LAST_YEAR
from core.references import NO_CASE, NO_VILLAGE, visit_staff_of
from core.roster.retired import refuse_retired
from core.writes import MAX_TEXT, Problems


@dataclass(frozen=True, slots=True)
class VisitWrite:
    visit: MediationVisit
    zone: ZoneInfo


async def _cases(numbers: Sequence[str], village_id: int, problems: Problems) -> list[Case]:
    """The visit's cases: each once, each a case of the visited village."""
    found = {c.number: c for c in await Case.filter(number__in=list(numbers))} if numbers else {}
    for index, number in enumerate(numbers):
        case = found.get(number)
        if case is None or case.village_id != village_id:  # type: ignore[attr-defined]
            problems.add(["input", "caseNumbers", index], "NOT_FOUND", f"{NO_CASE} in this village")
        elif list(numbers).count(number) > 1:
            problems.add(["input", "caseNumbers", index], "INVALID", f"case {number!r} is listed twice")
    return [found[n] for n in dict.fromkeys(numbers) if n in found]


async def record_mediation_visit(
    *, actor: Actor, village_code: str, day: date, staff_ids: list[int], case_numbers: Sequence[str],
    outcome: VisitOutcome | None, note: str | None, problems: Problems,
) -> VisitWrite:
    """Record a visit on a local day that has begun (never a future day) with its officials and cases."""
    found = await Village.filter(code=village_code).values("id", "code", "retired_on", "township_id", "township__county_id", "township__county__code", "township__county__timezone")
    if not found:
        problems.add(["input", "villageCode"], "NOT_FOUND", NO_VILLAGE)
        problems.check()
    village = found[0]
    zone = ZoneInfo(village["township__county__timezone"])
    if not FIRST_YEAR < day.year < LAST_YEAR:
        problems.add(["input", "day"], "INVALID", f"must lie between the years {FIRST_YEAR + 1} and {LAST_YEAR - 1}; got {day}")
    elif day > clock.local_today(zone):
        problems.add(["input", "day"], "INVALID", f"a visit cannot be recorded for a future day ({day})")
    refuse_retired(problems, ["input", "villageCode"], code=village["code"], retired_on=village["retired_on"], day=day)
    if not staff_ids:
        problems.add(["input", "staffIds"], "INVALID", "name at least one official who went")
    people = await visit_staff_of(staff_ids, village_id=village["id"], township_id=village["township_id"],
                                  county_id=village["township__county_id"], problems=problems, field=["input", "staffIds"])
    cases = await _cases(case_numbers, village["id"], problems)
    clean_note = problems.text(note, ["input", "note"], required=False, limit=MAX_TEXT)
    problems.check()
    at = datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)  # the local day; visits carry no hour
    async with in_transaction():
        visit = await MediationVisit.create(ext_id=f"api-{uuid.uuid4().hex[:16]}", village_id=village["id"], at=at,
                                            case_id=cases[0].id if cases else None, note=clean_note,
                                            outcome=outcome.value if outcome else None)
        await VisitStaff.bulk_create([VisitStaff(visit_id=visit.id, person_id=p.id) for p in people])
        await VisitCase.bulk_create([VisitCase(visit_id=visit.id, case_id=c.id) for c in cases])
        await record_audit(actor=actor, action="recordMediationVisit", entity="mediationVisit", entity_key=visit.ext_id,
                           county_code=village["township__county__code"], before=None,
                           after={"village": village_code, "day": day, "staff": [p.id for p in people],
                                  "cases": [c.number for c in cases], "outcome": outcome, "note": clean_note})
    return VisitWrite(visit, zone)


# Mediation visits counted per village and local month: one definition for the API and the report.
class VisitCount(NamedTuple):
    village_code: str
    village_name: str
    month: str
    visits: int


def count_by_village_month(rows: Iterable[Mapping[str, Any]], zone: ZoneInfo) -> list[VisitCount]:
    """Rows of (village__code, village__name, at) → visits per (village, local month), by village code then month."""
    names: dict[str, str] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        names[row["village__code"]] = row["village__name"]
        counts[(row["village__code"], row["at"].astimezone(zone).strftime("%Y-%m"))] += 1
    return [VisitCount(code, names[code], month, n) for (code, month), n in sorted(counts.items())]
