"""The compliance sweep spread over processes: each county's run for its local day is claimed by exactly one.

`sweep_claim` (models/migrations/0004_speed.py) has a row per (county, county-local day). On
PostgreSQL a process claims a row with `FOR UPDATE SKIP LOCKED` in a transaction on its own pool
connection and keeps that transaction open while `core.compliance.run_compliance` runs the county,
then marks it done and commits. The lock is the lease: a process killed mid-run loses its
connection and so its lock, and the next process to look claims the county; a hung one is cut
off by `idle_in_transaction_session_timeout` (LEASE). A process that finds nothing left to claim
waits while other processes still hold claims, so no county is left behind when one dies.
SQLite serves one process: a claim is an owner and a time on the row, taken over after LEASE_SQLITE.
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
from core.compliance import RunResult, run_compliance

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
    now = now or clock.now()
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


async def _run(code: str, *, day: date, trigger: str, rules: RulesConfig) -> RunResult:
    """The county's run for its local `day`, as of that day's local 00:00 (`core.replay.sweep_as_of`, the one
    definition of the nightly as-of): the result depends on the data and the day, never on when the process woke."""
    zone = ZoneInfo(await County.get(code=code).values_list("timezone", flat=True))
    now = sweep_as_of(day, zone)
    try:
        return await run_compliance(rules=rules, county_code=code, as_of=now, trigger=trigger)
    except Exception as exc:  # one broken county must not stop the sweep; the failure is returned and the day is done
        logger.exception("compliance sweep failed for county %s", code)
        failed = RunResult(county_code=code, scope={"county": code}, as_of=now, trigger=trigger)
        failed.errors.append({"ruleId": None, "factId": None, "error": f"{type(exc).__name__}: {exc}"})
        return failed


async def _insert_claims_postgres(connection: Any, days: dict[str, date]) -> None:
    await connection.execute_query(
        "INSERT INTO sweep_claim (county_code, day) SELECT * FROM unnest($1::varchar[], $2::date[]) ON CONFLICT DO NOTHING",
        [list(days), list(days.values())],
    )


CLAIM_POSTGRES = """
SELECT c.county_code, c.day FROM sweep_claim c
JOIN unnest($1::varchar[], $2::date[]) AS due(county_code, day) ON due.county_code = c.county_code AND due.day = c.day
WHERE c.done_at IS NULL ORDER BY c.county_code LIMIT 1 FOR UPDATE OF c SKIP LOCKED
"""
PENDING_POSTGRES = """
SELECT count(*) AS n FROM sweep_claim c
JOIN unnest($1::varchar[], $2::date[]) AS due(county_code, day) ON due.county_code = c.county_code AND due.day = c.day
WHERE c.done_at IS NULL
"""


async def _claims_postgres(
    connection: Any, days: dict[str, date], *, owner: str, now: datetime, trigger: str, rules: RulesConfig
) -> AsyncIterator[RunResult]:
    codes, dates = list(days), list(days.values())
    async with connection.acquire_connection() as raw:  # a connection of its own: the claim's transaction is not the run's
        while True:
            async with raw.transaction():
                await raw.execute(f"SET LOCAL idle_in_transaction_session_timeout = '{LEASE}'")
                row = await raw.fetchrow(CLAIM_POSTGRES, codes, dates)
                if row is not None:
                    await raw.execute(
                        "UPDATE sweep_claim SET owner = $3, claimed_at = now() WHERE county_code = $1 AND day = $2",
                        row["county_code"], row["day"], owner,
                    )
                    result = await _run(row["county_code"], day=row["day"], trigger=trigger, rules=rules)
                    await raw.execute(
                        "UPDATE sweep_claim SET done_at = now() WHERE county_code = $1 AND day = $2", row["county_code"], row["day"]
                    )
            if row is not None:
                yield result
            elif (await raw.fetchrow(PENDING_POSTGRES, codes, dates))["n"] == 0:
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
            " AND (owner IS NULL OR claimed_at < ?) RETURNING county_code",
            [owner, claimed_at, code, day.isoformat(), claimed_at - LEASE_SQLITE],
        )
        if not claimed:
            continue
        result = await _run(code, day=day, trigger=trigger, rules=rules)
        await connection.execute_query(
            "UPDATE sweep_claim SET done_at = ? WHERE county_code = ? AND day = ?", [clock.now(), code, day.isoformat()]
        )
        yield result
