"""The compliance sweep spread over processes: each county's run for its local day is claimed by exactly one.

`sweep_claim` (models/migrations/0004_speed.py) has a row per (county, county-local day). On
PostgreSQL a process claims a row with `FOR UPDATE SKIP LOCKED` in a transaction on its own pool
connection and keeps that transaction open while `core.compliance.run_compliance` runs the county,
then marks it done and commits. The lock is the lease: a process killed mid-run loses its
connection and so its lock, and the next process to look claims the county; a hung one is cut
off by `idle_in_transaction_session_timeout` (LEASE). A process that finds nothing left to claim
waits while other processes still hold claims, so no county is left behind when one dies.
SQLite serves one process: a claim is an owner and a time on the row, taken over after LEASE_SQLITE.

A day is done only when its run was recorded. A refused run (`RunRefused`: the county's live state lies after the
day, e.g. frozen by an older version's future run) or a failed one leaves the day not done (0007_sweep_retries):
the claim is released with its attempt counted and its error kept, the pass goes on with the other counties, and
the next pass (the next quarter-hour tick) tries it again. A pass tries a county-day at most once, so a county that
keeps failing never holds a sweeper. `days_behind` lists, for `/healthz`, every county whose latest day is not done.
"""

from __future__ import annotations

from core import clock
import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise import connections

from models.units import County
from rules.config import RulesConfig
from core.replay import sweep_as_of
from core.compliance import RunRefused, RunResult, run_compliance

logger = logging.getLogger("lianxi.sweep")

LEASE = "10min"  # a claim held longer than this (no statement on the claim connection) is cut off by the server
LEASE_SQLITE = timedelta(minutes=10)  # SQLite: a claim older than this, never marked done, is taken over
POLL_SECONDS = 0.5  # how often a process with nothing left to claim looks again while others still work


def owner_name() -> str:
    """This process, as recorded on its claims (host and pid)."""
    return f"{socket.gethostname()}:{os.getpid()}"


async def local_days(*, now: datetime) -> dict[str, date]:
    """County code → the county's local date at `now` (each county in its own time zone)."""
    rows = await County.all().order_by("code").values_list("code", "timezone")
    return {code: now.astimezone(ZoneInfo(zone)).date() for code, zone in rows}


async def sweep_due(*, rules: RulesConfig, now: datetime | None = None, trigger: str = "SWEEP", owner: str | None = None) -> AsyncIterator[RunResult]:
    """Run every county whose local day at `now` has no run yet; yields each result this process produced."""
    now = (now or clock.now()).astimezone(UTC)  # one form on the claim rows: SQLite compares them as text
    days = await insert_claims(now=now)
    if not days:
        return
    connection: Any = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        claims = _claims_postgres(connection, days, owner=owner or owner_name(), now=now, trigger=trigger, rules=rules)
    else:
        claims = _claims_sqlite(connection, days, owner=owner or owner_name(), now=now, trigger=trigger, rules=rules)
    async for result in claims:
        yield result


async def insert_claims(*, now: datetime) -> dict[str, date]:
    """Make sure every county has its (unclaimed unless already run) row for its local day at `now`; returns those days."""
    days = await local_days(now=now)
    connection: Any = connections.get("default")
    if not days:
        return days
    if connection.capabilities.dialect == "postgres":
        await _insert_claims_postgres(connection, days)
    else:
        await _insert_claims_sqlite(connection, days)
    return days


async def _run(code: str, *, day: date, trigger: str, rules: RulesConfig) -> tuple[RunResult, str | None]:
    """The county's run for its local `day`, as of that day's local 00:00 (`core.replay.sweep_as_of`, the one
    definition of the nightly as-of): the result depends on the data and the day, never on when the process woke.

    Returns the result and, when the run was refused or failed (the day is not done), what `/healthz` shows of it:
    a refusal's message (it says what to do), a failure's kind only (the probe is unauthenticated; the log has the
    rest)."""
    zone = ZoneInfo(await County.get(code=code).values_list("timezone", flat=True))
    as_of = sweep_as_of(day, zone)
    try:
        return await run_compliance(rules=rules, county_code=code, as_of=as_of, trigger=trigger), None
    except RunRefused as exc:  # expected, and what to do is in the message: one line, no traceback
        logger.warning("sweep of county %s for %s refused, retried at the next tick: %s", code, day, exc)
        error, shown = str(exc), str(exc)
    except Exception as exc:  # one broken county must not stop the sweep; the day stays due and is retried
        logger.exception("sweep of county %s for %s failed, retried at the next tick", code, day)
        error, shown = f"{type(exc).__name__}: {exc}", f"{type(exc).__name__} (see the server log)"
    failed = RunResult(county_code=code, scope={"county": code}, as_of=as_of, trigger=trigger)
    failed.errors.append({"ruleId": None, "factId": None, "error": error})
    return failed, shown


async def _insert_claims_postgres(connection: Any, days: dict[str, date]) -> None:
    await connection.execute_query(
        "INSERT INTO sweep_claim (county_code, day) SELECT * FROM unnest($1::varchar[], $2::date[]) ON CONFLICT DO NOTHING",
        [list(days), list(days.values())],
    )


CLAIM_POSTGRES = """
SELECT c.county_code, c.day FROM sweep_claim c
JOIN unnest($1::varchar[], $2::date[]) AS due(county_code, day) ON due.county_code = c.county_code AND due.day = c.day
WHERE c.done_at IS NULL AND (c.failed_at IS NULL OR c.failed_at < $3) ORDER BY c.county_code LIMIT 1 FOR UPDATE OF c SKIP LOCKED
"""
PENDING_POSTGRES = """
SELECT count(*) AS n FROM sweep_claim c
JOIN unnest($1::varchar[], $2::date[]) AS due(county_code, day) ON due.county_code = c.county_code AND due.day = c.day
WHERE c.done_at IS NULL AND (c.failed_at IS NULL OR c.failed_at < $3)
"""
DONE_POSTGRES = "UPDATE sweep_claim SET done_at = now(), attempts = attempts + 1, error = NULL WHERE county_code = $1 AND day = $2"
FAILED_POSTGRES = """UPDATE sweep_claim SET attempts = attempts + 1, failed_at = $3, error = $4, owner = NULL, claimed_at = NULL
WHERE county_code = $1 AND day = $2"""


async def _claims_postgres(
    connection: Any, days: dict[str, date], *, owner: str, now: datetime, trigger: str, rules: RulesConfig
) -> AsyncIterator[RunResult]:
    codes, dates = list(days), list(days.values())
    async with connection.acquire_connection() as raw:  # a connection of its own: the claim's transaction is not the run's
        while True:
            async with raw.transaction():
                await raw.execute(f"SET LOCAL idle_in_transaction_session_timeout = '{LEASE}'")
                row = await raw.fetchrow(CLAIM_POSTGRES, codes, dates, now)
                if row is not None:
                    await raw.execute(
                        "UPDATE sweep_claim SET owner = $3, claimed_at = now() WHERE county_code = $1 AND day = $2",
                        row["county_code"], row["day"], owner,
                    )
                    result, shown = await _run(row["county_code"], day=row["day"], trigger=trigger, rules=rules)
                    if shown is None:
                        await raw.execute(DONE_POSTGRES, row["county_code"], row["day"])
                    else:  # not done: released, with this pass's instant, so the next pass (not this one) retries it
                        await raw.execute(FAILED_POSTGRES, row["county_code"], row["day"], now, shown)
            if row is not None:
                yield result
            elif (await raw.fetchrow(PENDING_POSTGRES, codes, dates, now))["n"] == 0:
                return
            else:
                await asyncio.sleep(POLL_SECONDS)  # others hold claims: take over any whose process dies


async def _insert_claims_sqlite(connection: Any, days: dict[str, date]) -> None:
    await connection.execute_many(
        "INSERT OR IGNORE INTO sweep_claim (county_code, day) VALUES (?, ?)", [[code, day.isoformat()] for code, day in days.items()]
    )


async def _claims_sqlite(
    connection: Any, days: dict[str, date], *, owner: str, now: datetime, trigger: str, rules: RulesConfig
) -> AsyncIterator[RunResult]:
    for code, day in days.items():
        claimed_at = clock.now()
        claimed = await connection.execute_query_dict(
            "UPDATE sweep_claim SET owner = ?, claimed_at = ? WHERE county_code = ? AND day = ? AND done_at IS NULL"
            " AND (owner IS NULL OR claimed_at < ?) AND (failed_at IS NULL OR failed_at < ?) RETURNING county_code",
            [owner, claimed_at, code, day.isoformat(), claimed_at - LEASE_SQLITE, now],
        )
        if not claimed:
            continue
        result, shown = await _run(code, day=day, trigger=trigger, rules=rules)
        if shown is None:
            await connection.execute_query(
                "UPDATE sweep_claim SET done_at = ?, attempts = attempts + 1, error = NULL WHERE county_code = ? AND day = ?",
                [clock.now(), code, day.isoformat()],
            )
        else:  # not done: released, with this pass's instant, so the next pass (not this one) retries it
            await connection.execute_query(
                "UPDATE sweep_claim SET attempts = attempts + 1, failed_at = ?, error = ?, owner = NULL, claimed_at = NULL"
                " WHERE county_code = ? AND day = ?",
                [now, shown, code, day.isoformat()],
            )
        yield result


BEHIND = """
SELECT c.county_code, c.day, c.attempts, c.failed_at, c.error FROM sweep_claim c
WHERE c.done_at IS NULL AND c.day = (SELECT max(d.day) FROM sweep_claim d WHERE d.county_code = c.county_code)
ORDER BY c.county_code
"""


async def days_behind() -> list[dict[str, Any]]:
    """Every county whose latest sweep day is not done (being run, or refused or failed and waiting for a retry), with
    its attempts and the error of the last one: what `/healthz` shows until the day succeeds."""
    connection: Any = connections.get("default")
    rows = await connection.execute_query_dict(BEHIND)
    return [
        {
            "county": row["county_code"],
            "day": str(row["day"])[:10],
            "attempts": int(row["attempts"]),
            "lastAttemptAt": _iso(row["failed_at"]),
            "error": row["error"],
        }
        for row in rows
    ]


def _iso(moment: datetime | str | None) -> str | None:
    """An instant as ISO 8601 (SQLite returns the stored text, PostgreSQL a datetime)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        return moment.replace(" ", "T", 1)
    return moment.astimezone(UTC).isoformat()
