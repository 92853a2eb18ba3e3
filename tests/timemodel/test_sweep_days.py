"""The nightly sweep of a county-day (DESIGN §2, issue 23): a write's own re-evaluation never blocks it, and a day
that was refused or failed is not marked done: later ticks retry it and `/healthz` shows it until it succeeds.

Ticks are driven as the scheduler drives them (`server.scheduler.run_sweep` at minutes 5, 20, 35, 50) with the
clock fixed at each tick; on SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

import pytest
from tortoise import connections

from core import clock
from core.compliance import run_compliance
from models.alerts import Alert, RuleRun
from models.units import County
from rules.config import RulesConfig
from server import sweep_claims
from server.scheduler import run_sweep
from tests.rules import factories as f
from tests.timemodel.test_boundary_stories import RUN
from tests.writes import ADD_CASE_EVENT, RECORD_MEETING, at, gid, mutate

TOWN = "522728109"


def local(day: int, hour: int, minute: int) -> datetime:
    """An instant of December 2026 in Luodian (UTC+8), as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=f.SHANGHAI).astimezone(UTC)


async def tick(at_instant: datetime) -> list[str]:
    """One scheduler tick at `at_instant` (the clock reads that instant meanwhile)."""
    with clock.frozen(at_instant):
        return await run_sweep("SWEEP", RulesConfig(), at_instant)


async def claim(day: date) -> dict[str, Any]:
    connection = connections.get("default")
    rows = await connection.execute_query_dict("SELECT * FROM sweep_claim WHERE county_code = '522728'")
    return next(row for row in rows if str(row["day"])[:10] == day.isoformat())


async def healthz(client: Any) -> dict[str, Any]:
    answer = await client.get("/healthz")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_a_write_at_0003_does_not_cancel_the_0000_sweep_of_that_day(client_for, orm: str) -> None:  # type: ignore[no-untyped-def]
    w = await f.world()
    assert await tick(local(3, 0, 5)) == ["522728"]  # alerts raised as of 12-03 00:00, unacknowledged
    raised = await Alert.filter(status="OPEN").count()
    assert raised > 0 and not await Alert.filter(escalated_at__not_isnull=True).exists()
    with clock.frozen(local(7, 0, 3)):  # a township clerk records a meeting between midnight and the sweep
        clerk = await client_for("BUREAU", "522728")
        payload = await mutate(clerk, RECORD_MEETING, input={
            "townshipCode": TOWN, "kind": "THEMATIC", "status": "HELD", "heldAt": at(date(2026, 12, 4)),
            "attendeeIds": [gid("Person", p.id) for p in w.team],
        })
        assert payload["userErrors"] == []
    assert await RuleRun.filter(trigger="WRITE", as_of=local(7, 0, 3)).exists()
    assert await tick(local(7, 0, 5)) == ["522728"]
    assert await RuleRun.filter(trigger="SWEEP", as_of=local(7, 0, 0)).count() == 1  # the sweep as of 00:00 ran
    assert (await claim(date(2026, 12, 7)))["done_at"] is not None
    # A = 3: alerts raised 12-03 00:00 and never acknowledged are escalated by the 12-07 sweep, as a replay would
    assert await Alert.filter(escalated_at=local(7, 0, 0)).count() > 0


@pytest.mark.xfail(strict=True, reason="open question for DESIGN §2 (see the timemodel report): the sweep as of 00:00 "
                   "sets a case alert to its state at 00:00, undoing (for a day, with a REOPENED event) what a 00:03 write did")
async def test_the_0000_sweep_after_a_0003_write_does_not_reopen_what_the_write_resolved(client_for, orm: str) -> None:  # type: ignore[no-untyped-def]
    w = await f.world()
    await f.case(w.village, f.local(2026, 10, 1, 10), number="D1")  # a dispute, overdue since 11-01
    await tick(local(6, 0, 5))
    assert (await Alert.get(rule_id="case.overdue")).status == "OPEN"
    with clock.frozen(local(7, 0, 3)):
        clerk = await client_for("BUREAU", "522728")
        payload = await mutate(clerk, ADD_CASE_EVENT, input={
            "caseNumber": "D1", "type": "RESOLVED", "at": local(7, 0, 2).isoformat(), "outcome": "MEDIATED"})
        assert ("RESOLVED", "case.overdue") in {(c["kind"], c["alert"]["ruleId"]) for c in payload["alertChanges"]}
    await tick(local(7, 0, 5))  # as of 00:00 the case was still open …
    assert (await Alert.get(rule_id="case.overdue")).status == "RESOLVED"  # … today it reads OPEN until the 12-08 sweep


async def test_a_township_run_sets_no_floor_for_the_county(orm: str) -> None:
    """Decision: only county-wide runs (sweep, start-up, a county-wide manual run, a replay) set the floor; a run
    over one township is not the county's state, so a later one does not refuse the county's sweep."""
    await f.world()
    with clock.frozen(local(7, 10, 0)):
        await run_compliance(rules=RulesConfig(), county_code="522728", as_of=local(7, 9, 0), township_code=TOWN)
        assert await tick(local(7, 10, 0)) == ["522728"]
        assert await RuleRun.filter(trigger="SWEEP", as_of=local(7, 0, 0)).count() == 1


async def test_a_refused_sweep_day_is_retried_and_shows_on_healthz_until_it_succeeds(
    client_for, orm: str, caplog: pytest.LogCaptureFixture  # type: ignore[no-untyped-def]
) -> None:
    await f.world()
    county = await County.get(code="522728")
    # what an older version let through: a county-wide run as of 2100, which freezes the county
    bad = await RuleRun.create(county=county, trigger="MANUAL", scope={"county": "522728"}, as_of=datetime(2100, 12, 30, 16, tzinfo=UTC),
                               started_at=local(5, 15, 0), actor="api")
    client = await client_for("ADMIN")
    with caplog.at_level(logging.INFO, logger="lianxi.sweep"):
        assert await tick(local(7, 0, 5)) == ["522728"]  # attempted
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING and warnings[0].exc_info is None
    assert "\n" not in warnings[0].getMessage()
    row = await claim(date(2026, 12, 7))
    assert row["done_at"] is None and row["attempts"] == 1
    assert not await RuleRun.filter(trigger="SWEEP").exists()
    body = await healthz(client)
    assert body["sweep"] == "external" and body["status"] == "ok"  # what was there keeps its shape
    [behind] = body["sweepDays"]["behind"]
    assert body["sweepDays"]["state"] == "behind"
    assert (behind["county"], behind["day"], behind["attempts"]) == ("522728", "2026-12-07", 1)
    assert behind["lastAttemptAt"] == "2026-12-06T16:05:00+00:00"
    assert "lianxi replay --county 522728" in behind["error"] and "--apply" in behind["error"], behind["error"]
    # the refusal of any county-wide run names the way out
    with clock.frozen(local(7, 0, 10)):
        refused = await mutate(client, RUN, code="522728", asOf=None)
    assert [e["code"] for e in refused["userErrors"]] == ["EARLIER_THAN_LATEST_RUN"]
    assert "--apply" in refused["userErrors"][0]["message"] and "2100-12-31" in refused["userErrors"][0]["message"]

    assert await tick(local(7, 0, 20)) == ["522728"]  # the next tick retries
    assert (await claim(date(2026, 12, 7)))["attempts"] == 2
    await bad.delete()  # what `lianxi replay --apply` does to the runs after the present
    assert await tick(local(7, 0, 35)) == ["522728"]
    assert (await claim(date(2026, 12, 7)))["done_at"] is not None
    assert await RuleRun.filter(trigger="SWEEP", as_of=local(7, 0, 0)).count() == 1
    assert await tick(local(7, 0, 50)) == []  # done: not run again
    body = await healthz(client)
    assert body["sweepDays"] == {"state": "ok", "behind": []}


async def test_a_failed_sweep_day_is_retried_on_the_next_tick(client_for, orm: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    await f.world()
    real = sweep_claims.run_compliance
    failures = iter([RuntimeError("database went away")])

    async def flaky(**kwargs: Any) -> Any:
        if (error := next(failures, None)) is not None:
            raise error
        return await real(**kwargs)

    monkeypatch.setattr(sweep_claims, "run_compliance", flaky)
    client = await client_for("ADMIN")
    assert await tick(local(7, 0, 5)) == ["522728"]
    assert (await claim(date(2026, 12, 7)))["done_at"] is None
    [behind] = (await healthz(client))["sweepDays"]["behind"]
    assert behind["error"].startswith("RuntimeError") and "went away" not in behind["error"]  # no internals on an open probe
    assert await tick(local(7, 0, 20)) == ["522728"]
    assert (await claim(date(2026, 12, 7)))["done_at"] is not None
    assert (await healthz(client))["sweepDays"]["behind"] == []
    assert await RuleRun.filter(trigger="SWEEP").count() == 1
    assert (await RuleRun.get(trigger="SWEEP")).as_of == local(7, 0, 0)
