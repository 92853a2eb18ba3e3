"""Days a bureau member cannot attend meetings: record, list and withdraw them (the rotation planner leaves them out then).

Each mark and each withdrawal is audited with the county; a withdrawal deletes the row (the audit
keeps what it was). Days lie within the API's years (1900–2100) and a mark spans at most a year, so
what the planner expands into days stays small.
"""

from __future__ import annotations

from datetime import date

from models.rotation import Unavailability
from models.units import County
from core.audit import Actor, record_audit
from core.periods import FIRST_YEAR, LAST_YEAR
from core.references import NO_COUNTY, bureau_member
from core.transaction import alert_transaction
from core.writes import Problems

MAX_DAYS = 366  # one mark, and one listing window, at most a year
NO_UNAVAILABILITY = "no unavailability with this id in your jurisdiction"


def _within_years(day: date, field: list[str], problems: Problems) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        problems.add(field, "INVALID", f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got {day.isoformat()}")


def _as_audited(row: Unavailability) -> dict[str, object]:
    return {"person": row.person_id, "from": row.first_day, "to": row.last_day, "reason": row.reason}  # type: ignore[attr-defined]


async def mark_unavailable(*, actor: Actor, county_code: str, person_id: int, first_day: date, last_day: date,
                           reason: str | None, problems: Problems) -> Unavailability:
    """Record that a bureau member cannot attend meetings on these local days."""
    county = await County.filter(code=county_code).first()
    if county is None:
        problems.add(["input", "countyCode"], "NOT_FOUND", NO_COUNTY)
    elif not await bureau_member(person_id, county_id=county.id):
        problems.add(["input", "personId"], "NOT_FOUND", "no bureau member of this county with this id")
    _within_years(first_day, ["input", "from"], problems)
    _within_years(last_day, ["input", "to"], problems)
    if last_day < first_day:
        problems.add(["input", "to"], "INVALID", f"ends ({last_day}) before it starts ({first_day})")
    if (last_day - first_day).days > MAX_DAYS:
        problems.add(["input", "to"], "INVALID", "at most a year at a time")
    clean_reason = problems.text(reason, ["input", "reason"], required=False, limit=200)
    problems.check()
    assert county is not None
    async with alert_transaction(county_code=county.code):
        row = await Unavailability.create(person_id=person_id, county_id=county.id, first_day=first_day, last_day=last_day, reason=clean_reason)
        await record_audit(actor=actor, action="markUnavailable", entity="unavailability", entity_key=str(row.id), county_code=county.code,
                           before=None, after=_as_audited(row))
    return row


async def list_unavailability(*, county_code: str, first_day: date, last_day: date, problems: Problems) -> list[Unavailability]:
    """The marks of a county that overlap these days (at most a year), by first day; the caller's jurisdiction
    is checked by the root rule (a county reader of this county)."""
    _within_years(first_day, ["from"], problems)
    _within_years(last_day, ["to"], problems)
    if last_day < first_day:
        problems.add(["to"], "INVALID", f"ends ({last_day}) before it starts ({first_day})")
    elif (last_day - first_day).days > MAX_DAYS:
        problems.add(["to"], "INVALID", "ask for at most a year at a time")
    problems.check()
    return await Unavailability.filter(county__code=county_code, first_day__lte=last_day, last_day__gte=first_day
                                       ).order_by("first_day", "id").prefetch_related("person")


async def withdraw_unavailability(*, actor: Actor, unavailability_id: int | None, problems: Problems) -> Unavailability:
    """Delete a mark (audited, with what it was): the member is planned again on those days."""
    row = await Unavailability.filter(id=unavailability_id).prefetch_related("county", "person").first() if unavailability_id else None
    if row is None:
        problems.add(["id"], "NOT_FOUND", NO_UNAVAILABILITY)
        problems.check()
    assert row is not None
    async with alert_transaction(county_code=row.county.code):
        gone = await Unavailability.filter(id=row.id).delete()
        if not gone:  # withdrawn meanwhile by someone else: absent now
            problems.add(["id"], "NOT_FOUND", NO_UNAVAILABILITY)
            problems.check()
        await record_audit(actor=actor, action="withdrawUnavailability", entity="unavailability", entity_key=str(row.id),
                           county_code=row.county.code, before=_as_audited(row), after=None)
    return row
