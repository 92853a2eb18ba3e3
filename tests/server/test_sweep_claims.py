"""The nightly sweep, spread: each county's run for its own local day is claimed by exactly one sweeper."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from rules.config import RulesConfig
from models.alerts import RuleRun
from server.load.service import load_document
from server.scheduler import run_sweep
from server.sweep_claims import insert_claims, sweep_due
from tests.documents import county_document

SMALL = {"townships": 1, "villages": 1, "grids": 1, "households": 1}


def county_named(code: str, *, zone: str = "Asia/Shanghai") -> dict[str, Any]:
    """The small test county rewritten as county `code` in time zone `zone` (codes, ids and case numbers all renamed)."""
    text = orjson.dumps(county_document(**SMALL)).decode().replace("522728", code)
    for person in ("HEAD", "LEADER", "STAFF"):
        text = text.replace(f'"{person}"', f'"{person}{code}"')
    document: dict[str, Any] = orjson.loads(text)
    document["counties"][0]["timezone"] = zone
    return document


async def _runs_per_county(trigger: str) -> Counter[str]:
    codes = await RuleRun.filter(trigger=trigger).values_list("county__code", flat=True)
    return Counter(str(code) for code in codes)


async def test_a_county_in_urumqi_is_swept_after_its_own_midnight(orm: str) -> None:
    await load_document(county_named("522728"))
    await load_document(county_named("652801", zone="Asia/Urumqi"))  # UTC+6, two hours behind Beijing
    evening = datetime(2024, 3, 10, 15, 0, tzinfo=UTC)  # 23:00 in Beijing, 21:00 in Urumqi: both on the 10th
    assert sorted(await run_sweep("SWEEP", RulesConfig(), evening)) == ["522728", "652801"]
    assert await run_sweep("SWEEP", RulesConfig(), evening.replace(hour=15, minute=50)) == []  # the 10th is done everywhere
    assert await run_sweep("SWEEP", RulesConfig(), evening.replace(hour=16, minute=5)) == ["522728"]  # 00:05 on the 11th in Beijing only
    assert await run_sweep("SWEEP", RulesConfig(), evening.replace(hour=17, minute=5)) == []
    assert await run_sweep("SWEEP", RulesConfig(), evening.replace(hour=18, minute=5)) == ["652801"]  # Urumqi's own midnight
    assert await _runs_per_county("SWEEP") == {"522728": 2, "652801": 2}
    # each run is as of its county's local 00:00 of the day, whenever the process woke (one nightly as-of)
    as_ofs = sorted((r["county__code"], r["as_of"].astimezone(UTC).isoformat())
                    for r in await RuleRun.filter(trigger="SWEEP").values("county__code", "as_of"))
    assert as_ofs == [("522728", "2024-03-09T16:00:00+00:00"), ("522728", "2024-03-10T16:00:00+00:00"),
                      ("652801", "2024-03-09T18:00:00+00:00"), ("652801", "2024-03-10T18:00:00+00:00")]


async def test_two_sweepers_share_the_counties_and_run_each_once(orm: str) -> None:
    codes = [f"5201{n:02d}" for n in range(1, 7)]
    for code in codes:
        await load_document(county_named(code))
    now = datetime(2024, 3, 10, 16, 5, tzinfo=UTC)

    async def sweeper(owner: str) -> list[str]:
        return [result.county_code async for result in sweep_due(rules=RulesConfig(), now=now, owner=owner)]

    first, second = await asyncio.gather(sweeper("one"), sweeper("two"))
    assert sorted(first + second) == codes  # none twice, none skipped
    assert await _runs_per_county("SWEEP") == {code: 1 for code in codes}
    if orm.startswith("postgres"):  # two connections really interleave; SQLite serves one process
        assert first and second, f"one sweeper ran everything: {first} / {second}"


KILLED_SWEEPER = """
import asyncio, sys, asyncpg
async def main():
    connection = await asyncpg.connect(sys.argv[1])
    transaction = connection.transaction()
    await transaction.start()
    await connection.fetchrow(
        "SELECT * FROM sweep_claim WHERE county_code = $1 AND day = '2024-03-11' FOR UPDATE NOWAIT", sys.argv[2])
    print("claimed", flush=True)
    await asyncio.sleep(600)
asyncio.run(main())
"""


@pytest.mark.postgres
async def test_a_county_claimed_by_a_killed_process_is_run_by_the_others(orm: str) -> None:
    if not orm.startswith("postgres"):
        pytest.skip("several sweeping processes need PostgreSQL")
    codes = ["520101", "520102", "520103"]
    for code in codes:
        await load_document(county_named(code))
    now = datetime(2024, 3, 10, 16, 5, tzinfo=UTC)
    await run_sweep("SWEEP", RulesConfig(), now.replace(hour=1))  # yesterday's runs: the claims for the 10th exist, the 11th's do not
    await insert_claims(now=now)  # what a sweeper does first; the killed one got this far and claimed 520102
    claimant = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED_SWEEPER), orm, "520102"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert claimant.stdout is not None and claimant.stdout.readline().strip() == "claimed"
        sweep = asyncio.create_task(run_sweep("SWEEP", RulesConfig(), now))
        await asyncio.sleep(2)
        assert not sweep.done(), "the sweep finished although another process still held a county"
        claimant.kill()  # mid-run: its connection, and with it the claim, goes away
        swept = await asyncio.wait_for(sweep, timeout=30)
    finally:
        claimant.kill()
        claimant.communicate()
    assert sorted(swept) == codes
