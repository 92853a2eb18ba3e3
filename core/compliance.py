"""Run the compliance check for a county (or one township, or one case) at an as-of, and sweep all counties.

One run: facts (`rules.facts`) → durable-rules evaluation off the event loop
(`rules.engine`) → alerts (`rules.reconciler`) → a `RuleRun` record, all in one transaction
when writing. On PostgreSQL a transaction-scoped advisory lock per county serialises
concurrent runs of the same county (several server processes, sweep vs. write triggers).
"""

from __future__ import annotations

from core import clock
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from models.alerts import RuleRun
from models.enums import AlertEventKind
from models.units import County
from rules.case_facts import fallback_years
from rules.catalog import CATALOG, rule_versions
from rules.config import CountyRules, RulesConfig
from rules.engine import evaluate_async
from rules.facts import Scope, ScopeError, build_facts
from rules.periods import to_local_iso
from rules.reconciler import Change, ChangeKind, reconcile
from core.audit import Actor, record_audit
from core.transaction import alert_transaction, emit

logger = logging.getLogger(__name__)
TRIGGERS = frozenset({"SWEEP", "MANUAL", "WRITE", "REPORT", "STARTUP", "REPLAY"})
WRITING_TRIGGERS = ("SWEEP", "MANUAL", "WRITE", "STARTUP", "REPLAY")  # runs that changed the live alert state
CLOCK_TRIGGERS = frozenset({"SWEEP", "MANUAL", "STARTUP", "REPLAY"})  # refused before the county's latest county-wide run
# The runs that set the floor: they move the whole county's live state to their as-of. A replay's runs count whatever
# their scope (together they are the county's nightly history); a manual run counts only over the whole county; a
# write's re-evaluation (WRITE) and a run over one township or a few periods never do: they never block the next sweep.
COUNTY_WIDE_TRIGGERS = ("SWEEP", "STARTUP", "REPLAY")

__all__ = [
    "EarlierThanLatestRun", "FutureAsOf", "RunRefused", "RunResult", "ScopeError", "latest_run_as_of", "refuse_future",
    "run_compliance", "sweep",
]


class RunRefused(ValueError):
    """A writing run the time model does not allow (DESIGN §2); nothing was changed. `code` names the reason."""

    code = "RUN_REFUSED"


class EarlierThanLatestRun(RunRefused):
    """A writing run at an as-of earlier than the county's latest county-wide run (the live state moves forward only)."""

    code = "EARLIER_THAN_LATEST_RUN"

    def __init__(self, county_code: str, as_of: datetime, latest: datetime, tz: ZoneInfo) -> None:
        self.county_code, self.as_of, self.latest = county_code, as_of, latest
        message = (
            f"county {county_code} was last checked as of {to_local_iso(latest, tz)}; a writing run as of "
            f"{to_local_iso(as_of, tz)} would rewrite the present, so nothing was changed. To look at the past use a "
            f"report (ruleReport, or lianxi report --county {county_code} --as-of …), which writes nothing; to rebuild "
            f"the alert history use lianxi replay --county {county_code} --from … --to …"
        )
        if latest > clock.now():  # frozen by a run an older version let look ahead: name the way back
            message = (
                f"county {county_code} is frozen by a run as of {to_local_iso(latest, tz)}, which lies after the present "
                f"({to_local_iso(clock.now(), tz)}), so every run until then is refused and nothing was changed. To bring "
                f"it back, an admin runs lianxi replay --county {county_code} --from <a day on or before the day that run "
                f"was made> --apply, which removes the runs after the present and rebuilds the alerts up to today"
            )
        super().__init__(message)


class FutureAsOf(RunRefused):
    """A writing run at an as-of after the present: only reports may look ahead (a typo in a year must not freeze a county)."""

    code = "FUTURE_AS_OF"

    def __init__(self, county_code: str, as_of: datetime, tz: ZoneInfo) -> None:
        self.county_code, self.as_of = county_code, as_of
        super().__init__(
            f"as-of {to_local_iso(as_of, tz)} is after the present (county {county_code}'s local now is "
            f"{to_local_iso(clock.now(), tz)}): a writing run may not look ahead, so nothing was changed. To look ahead "
            f"use a report (ruleReport, or lianxi report --county {county_code} --as-of …), which writes nothing"
        )


async def refuse_future(*, county_code: str, as_of: datetime) -> None:
    """Raise `FutureAsOf` when `as_of` lies after the present (`ScopeError` for an unknown county): the one check every
    writing entry goes through (runs here, and a replay before it starts), so none of them can write ahead of time."""
    if as_of <= clock.now():
        return
    zone = await County.filter(code=county_code).values_list("timezone", flat=True)
    if not zone:
        raise ScopeError(f"unknown county code {county_code!r}")
    raise FutureAsOf(county_code, as_of, ZoneInfo(zone[0]))


async def latest_run_as_of(county_id: int, *, county_wide: bool = True) -> datetime | None:
    """The as-of of the county's latest county-wide writing run (None before the first): the floor of the next one.

    Sweeps, start-up sweeps and replays, and manual runs over the whole county; never a write's re-evaluation nor a
    manual run over one township (a 00:03 write must not cancel the 00:00 sweep). `county_wide=False`: the latest
    writing run of any kind, the instant of the live state (what a load re-evaluates at)."""
    if not county_wide:
        return await (RuleRun.filter(county_id=county_id, trigger__in=WRITING_TRIGGERS).order_by("-as_of").first()
                      .values_list("as_of", flat=True))  # type: ignore[no-any-return]
    wide = await (RuleRun.filter(county_id=county_id, trigger__in=COUNTY_WIDE_TRIGGERS).order_by("-as_of").first()
                  .values_list("as_of", flat=True))
    manual = RuleRun.filter(county_id=county_id, trigger="MANUAL").order_by("-as_of")
    if wide is not None:
        manual = manual.filter(as_of__gt=wide)
    for as_of, scope in await manual.values_list("as_of", "scope"):  # newest first: few manual runs follow the last sweep
        if set(_as_dict(scope)) == {"county"}:
            return as_of  # type: ignore[no-any-return]
    return wide  # type: ignore[no-any-return]


def _as_dict(scope: Any) -> dict[str, Any]:
    return scope if isinstance(scope, dict) else orjson.loads(scope) if scope else {}


@dataclass(slots=True)
class RunResult:
    county_code: str
    scope: dict[str, Any]
    as_of: datetime
    trigger: str
    run_id: int | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    rule_versions: dict[str, int] = field(default_factory=dict)
    fact_count: int = 0
    duration_ms: float = 0.0


def _counts(findings: list[dict[str, Any]], changes: list[Change]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {
        rule_id: {"findings": 0, **{kind.value.lower(): 0 for kind in ChangeKind}} for rule_id in CATALOG
    }
    for rule_id, n in Counter(f["ruleId"] for f in findings).items():
        counts[rule_id]["findings"] = n
    for change in changes:
        counts[change.alert.rule_id][change.kind.value.lower()] += 1
    return counts


# What subscribers and webhook receivers hear of the engine's changes (UPDATED only refreshes evidence).
EVENT_OF_CHANGE = {
    ChangeKind.RAISED: AlertEventKind.RAISED,
    ChangeKind.REOPENED: AlertEventKind.REOPENED,
    ChangeKind.RESOLVED: AlertEventKind.RESOLVED,
    ChangeKind.ESCALATED: AlertEventKind.ESCALATED,
}


async def run_compliance(
    *,
    rules: RulesConfig,
    county_code: str,
    as_of: datetime,
    township_code: str | None = None,
    case_number: str | None = None,
    periods: Iterable[tuple[str, str]] | None = None,
    case_numbers: Iterable[str] | None = None,
    escalations: bool = False,
    trigger: str = "MANUAL",
    actor: str | None = None,
    write: bool = True,
    audit: Actor | None = None,
) -> RunResult:
    """Evaluate the catalog for a scope at `as_of`; with write=True reconcile alerts and record the run.

    Scope: the county, one township (`township_code`), or explicit (township code, period label) pairs and
    case numbers (`periods`, `case_numbers`, `case_number`: what a write touched). A writing run at an as-of after
    the present raises `FutureAsOf`; one of the sweep/manual kind earlier than the county's latest county-wide run
    raises `EarlierThanLatestRun`; both change nothing.
    `rules` is the configuration read at start-up (`Settings.rules`): a run never reads a file.
    """
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise ValueError("as_of must be an aware datetime (with a time zone offset)")
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r} (one of {', '.join(sorted(TRIGGERS))})")
    started_wall, started = clock.now(), time.perf_counter()
    if case_number is not None:
        case_numbers = [*(case_numbers or ()), case_number]
    explicit = periods is not None or case_numbers is not None
    scope = Scope(
        county_code=county_code,
        township_code=township_code,
        periods=frozenset(periods or ()) if explicit else None,
        case_numbers=frozenset(case_numbers or ()) if explicit else None,
        escalations=escalations,
    )
    settings = rules.for_county(county_code)
    result = RunResult(
        county_code=county_code,
        scope=scope.as_record(),
        as_of=as_of,
        trigger=trigger,
        parameters=settings.as_record(),
        rule_versions=rule_versions(),
    )
    if not write:
        facts = await build_facts(scope=scope, as_of=as_of, settings=settings)
        _note_calendar_fallback(result, facts.facts, settings)
        await _evaluate(result, facts.facts, settings, facts.as_of, facts.tz)
        result.counts = _counts(result.findings, [])
        result.duration_ms = (time.perf_counter() - started) * 1000
        return result

    await refuse_future(county_code=county_code, as_of=as_of)  # before any work: a year's typo must cost nothing
    async with alert_transaction(county_code=county_code):
        facts = await build_facts(scope=scope, as_of=as_of, settings=settings)
        # (a replay deleted the county's later runs and moves forward day by day: it needs no check)
        if trigger in CLOCK_TRIGGERS - {"REPLAY"} and (latest := await latest_run_as_of(facts.county_id)) and as_of < latest:
            raise EarlierThanLatestRun(county_code, as_of, latest, facts.tz)
        _note_calendar_fallback(result, facts.facts, settings)
        await _evaluate(result, facts.facts, settings, facts.as_of, facts.tz)
        run = await RuleRun.create(
            county_id=facts.county_id,
            trigger=trigger,
            scope=result.scope,
            as_of=as_of,
            started_at=started_wall,
            parameters=result.parameters,
            rule_versions=result.rule_versions,
            actor=actor,
        )
        result.run_id = run.id
        result.changes = await reconcile(
            facts=facts, findings=result.findings, evaluated_rules=trusted_rules(result.errors), run=run
        )
        for change in result.changes:
            if trigger != "REPLAY" and (event := EVENT_OF_CHANGE.get(change.kind)) is not None:
                emit(change.alert, event, at=as_of)  # a replay rebuilds history: nobody is notified of the past
        result.counts = _counts(result.findings, result.changes)
        result.duration_ms = (time.perf_counter() - started) * 1000
        run.counts, run.errors, run.duration_ms = result.counts, result.errors, result.duration_ms
        await run.save(update_fields=["counts", "errors", "duration_ms"])
        if audit is not None:
            changed = Counter(change.kind.value for change in result.changes)
            await record_audit(actor=audit, action="runCompliance", entity="ruleRun", entity_key=str(run.id),
                               county_code=county_code, before=None,
                               after={"asOf": as_of, "scope": result.scope, "findings": len(result.findings), "changes": dict(changed)})
    return result


def _note_calendar_fallback(result: RunResult, facts: list[dict[str, Any]], settings: CountyRules) -> None:
    """Record on the run (its `parameters.calendar`) the years whose case deadlines moved past weekends only
    because the national calendar does not cover them yet. Not an error: the run's results stand, and an
    error would stop its alerts from changing (`trusted_rules`)."""
    if years := fallback_years(facts, settings.calendar):
        result.parameters["calendar"] = {
            **result.parameters["calendar"],
            "fallbackYears": years,
            "note": f"no national calendar for {', '.join(map(str, years))}: those deadlines moved past weekends only",
        }


def trusted_rules(errors: list[dict[str, Any]]) -> set[str]:
    """The rules whose results may change alerts: none after an engine-wide error, else all but those that failed."""
    failed = {error.get("ruleId") for error in errors}
    if None in failed:
        return set()
    return set(CATALOG) - failed


async def _evaluate(
    result: RunResult, facts: list[dict[str, Any]], settings: CountyRules, as_of: datetime, tz: ZoneInfo
) -> None:
    evaluation = await evaluate_async(facts=facts, settings=settings, as_of=as_of, tz=tz)
    result.findings, result.errors, result.fact_count = evaluation.findings, evaluation.errors, evaluation.fact_count


async def sweep(*, rules: RulesConfig, as_of: datetime, trigger: str = "SWEEP") -> AsyncIterator[RunResult]:
    """Run every county at `as_of`, one transaction each, yielding each result as it is done.

    A generator, so a province sweep holds one county's findings at a time; one county's failure
    spares the others (its result carries the error).
    """
    for code in await County.all().order_by("code").values_list("code", flat=True):
        try:
            yield await run_compliance(rules=rules, county_code=code, as_of=as_of, trigger=trigger)
        except RunRefused as exc:  # checked at a later as-of, or the as-of lies ahead: nothing changed
            logger.warning("compliance sweep refused for county %s: %s", code, exc)
            refused = RunResult(county_code=code, scope={"county": code}, as_of=as_of, trigger=trigger)
            refused.errors.append({"ruleId": None, "factId": None, "error": str(exc)})
            yield refused
        except Exception as exc:  # one broken county must not stop the sweep; the failure is returned
            logger.exception("compliance sweep failed for county %s", code)
            failed = RunResult(county_code=code, scope={"county": code}, as_of=as_of, trigger=trigger)
            failed.errors.append({"ruleId": None, "factId": None, "error": f"{type(exc).__name__}: {exc}"})
            yield failed
