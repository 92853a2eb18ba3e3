"""Validates and writes a document inside one transaction, so a refused document leaves no trace."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.people import ONE_HOLDER_CONSTRAINT, Person
from models.units import County
from rules.config import RulesConfig
from rules.scope import periods_touched
from core import clock
from core.compliance import latest_run_as_of, run_compliance
from core.audit import Actor, record_audit
from core.roster.places import places_of
from server.load.errors import LoadError, LoadProblem
from server.load.existing import Existing, read_existing
from server.load.plan import Plan
from server.load.summary import LoadSummary
from server.load.validate import refuse_nul, validate_document
from server.load.write_activity import write_cases, write_meetings, write_visits
from server.load.write_units import write_units


async def write_plan(db: BaseDBAsyncClient, plan: Plan, existing: Existing) -> LoadSummary:
    """Upsert everything the plan holds, sequentially on one connection; returns the counts."""
    summary = LoadSummary()
    ids = await write_units(db, plan, existing, summary)
    await write_cases(db, plan, existing, ids, summary)
    await write_meetings(db, plan, existing, ids, summary)
    await write_visits(db, plan, existing, ids, summary)
    return summary


async def validate_and_write(document: Mapping[str, Any], *, actor: Actor, rules: RulesConfig) -> LoadSummary:
    """One transaction: read what is stored, validate the whole document against it, then write; all or nothing."""
    started = time.perf_counter()
    try:
        if isinstance(document, Mapping):
            refuse_nul(document)
        async with in_transaction() as db:
            existing = await read_existing(db, document)
            plan = validate_document(document, existing, rules=rules)  # raises LoadError: the transaction rolls back
            summary = await write_plan(db, plan, existing)
            if summary.changed:
                await _audit(actor, plan, summary)
                await reevaluate_touched(plan, actor=actor, rules=rules)  # last: its alert events belong to this transaction
    except IntegrityError as exc:
        if ONE_HOLDER_CONSTRAINT in str(exc):  # the roster invariant (DESIGN §1), e.g. dated bureau heads that overlap
            raise LoadError([LoadProblem("", "two people would hold a single-holder role of one unit on the same day; "
                                             "correct the roles' from/to dates")]) from exc
        # another writer committed the same keys between our read and our write
        raise LoadError([LoadProblem("", f"the database changed while loading ({exc}); load the file again")]) from exc
    summary.seconds = time.perf_counter() - started
    return summary


async def reevaluate_touched(plan: Plan, *, actor: Actor, rules: RulesConfig) -> None:
    """DESIGN §2: a write re-evaluates every period and case it touched, however old (a backdated meeting or a
    corrected case in a file resolves its alerts at once). Counties never checked have no live alerts to move:
    their first sweep evaluates everything. The run is as of the county's latest writing run (never after the
    present), so a load never moves the live state forward in time nor depends on the wall clock."""
    periods: dict[str, set[tuple[str, str]]] = defaultdict(set)
    cases: dict[str, set[str]] = defaultdict(set)
    zones = dict(await County.all().values_list("code", "timezone"))
    for meeting in plan.meetings:
        county = meeting.township[:6]
        periods[county] |= periods_touched(meeting.township, [meeting.held_at], ZoneInfo(zones[county]))
    for case in plan.cases:
        cases[case.township[:6]].add(case.number)
    for county_code in sorted(set(periods) | set(cases)):
        county_id = await County.get(code=county_code).values_list("id", flat=True)
        if (live_as_of := await latest_run_as_of(county_id, county_wide=False)) is None:
            continue
        # As of the live state's own instant: the data changed, time did not (the next sweep moves it forward). Never
        # after the present: a county frozen by an older version's future run still takes its data.
        await run_compliance(rules=rules, county_code=county_code, as_of=min(live_as_of, clock.now()), periods=frozenset(periods[county_code]),
                             case_numbers=frozenset(cases[county_code]), trigger="WRITE", actor=actor.name)


async def _audit(actor: Actor, plan: Plan, summary: LoadSummary) -> None:
    """One entry per import that changed something, in each county the document touches (its counties' trails
    show it): the counts per entity (the document itself is the file). People alone touch the counties they serve in."""
    counties = {c.code for c in plan.counties} | {t.code[:6] for t in plan.townships}
    counties |= {m.township[:6] for m in plan.meetings} | {c.township[:6] for c in plan.cases} | {v.village[:6] for v in plan.visits}
    if not counties and plan.people:
        ids = await Person.filter(ext_id__in=[p.ext_id for p in plan.people]).values_list("id", flat=True)
        for person_id in ids:
            counties.update((await places_of(person_id)).counties)
    for county_code in sorted(counties):
        await record_audit(
            actor=actor, action="load", entity="document", entity_key=None, county_code=county_code,
            before=None, after={"counties": sorted(counties), "counts": summary.as_dict()},
        )
