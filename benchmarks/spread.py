"""The province sweep run by 1 and by N processes at once (server/sweep_claims.py): wall time, and every county run exactly once.

Each worker is a real process (`python -m benchmarks.spread WORKER URL NOW`) that opens the ORM,
says `ready`, waits for `go` on stdin, runs `sweep_due` for the day and prints what it ran with its
start and end instants, so process start-up is outside the measured wall time. Rounds alternate
1 process and N processes (after one unmeasured warm-up sweep, which raises the alerts).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import orjson

from rules.config import RulesConfig
from benchmarks.figures import Figure, median

ROOT = Path(__file__).resolve().parent.parent
FIRST_DAY = datetime(2024, 1, 1, 0, 5, tzinfo=UTC)  # 08:05 in every demo county: one local day per round


async def _forget(url: str, now: datetime) -> None:
    """The day's claims of an earlier benchmark run go, so this sweep runs every county again."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DELETE FROM sweep_claim WHERE day = $1", now.date())
    finally:
        await connection.close()


async def _sweep(url: str, processes: int, now: datetime) -> tuple[float, Counter[str]]:
    await _forget(url, now)
    workers = [
        subprocess.Popen([sys.executable, "-m", "benchmarks.spread", "worker", url, now.isoformat(), f"bench-{i}"],
                         cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for i in range(processes)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = await asyncio.gather(*(asyncio.to_thread(worker.communicate, timeout=900) for worker in workers))
    reports = [orjson.loads(out) for out, _ in outputs]
    ran = Counter(code for report in reports for code in report["codes"])
    return max(r["end"] for r in reports) - min(r["start"] for r in reports), ran


async def measure(url: str, *, processes: int, rounds: int = 2) -> list[Figure]:
    """Sweep wall time with 1 and with `processes` processes, alternating, one local day per sweep."""
    from models.units import County
    from server.db import database

    async with database(url, apply_migrations=False):
        counties = await County.all().count()
    day = iter(FIRST_DAY + timedelta(days=n) for n in range(2 * rounds + 1))
    await _sweep(url, processes, next(day))  # warm-up: the first pass raises the alerts
    single: list[float] = []
    spread: list[float] = []
    problems: list[str] = []
    for _ in range(rounds):
        for count, into in ((1, single), (processes, spread)):
            seconds, ran = await _sweep(url, count, next(day))
            into.append(seconds)
            twice = [code for code, n in ran.items() if n > 1]
            if twice or len(ran) != counties:
                problems.append(f"{count} processes: {len(ran)} of {counties} counties run, twice: {twice}")
    ratio = Figure(f"province sweep wall time, {processes} processes", median(spread), "s", bound=median(single),
                   bound_name="1 process", target="≤ 0.6× one process, each county once",
                   extra={"counties": counties, "rounds": rounds, "problems": "; ".join(problems) or "none"})
    ratio.met = not problems and ratio.ratio is not None and ratio.ratio <= 0.6
    return [ratio]


async def _worker(url: str, now: datetime, owner: str) -> None:
    from server.db import database
    from server.sweep_claims import sweep_due

    async with database(url, apply_migrations=False):
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        start = time.time()
        codes = [result.county_code async for result in sweep_due(rules=RulesConfig(), now=now, trigger="SWEEP", owner=owner)]
        print(orjson.dumps({"codes": codes, "start": start, "end": time.time()}).decode(), flush=True)


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    asyncio.run(_worker(sys.argv[2], datetime.fromisoformat(sys.argv[3]), sys.argv[4]))
