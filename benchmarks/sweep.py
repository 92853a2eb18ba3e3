"""Compliance sweep (core.compliance.run_compliance per county) for a county-year and a province-year, beside one SQL statement
computing the cadence findings, with peak memory (tracemalloc for a county, RSS while streaming a province)."""

from __future__ import annotations

import resource
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tortoise import connections

from rules.config import RulesConfig
from benchmarks.figures import Figure, median
from models.units import County
from core.compliance import run_compliance, sweep

AS_OF = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=8)))  # 2023 closed, in county time
MONTHS = ", ".join(f"('2023-{m:02d}')" for m in range(1, 13))
LOCAL_MONTH = {
    "sqlite": "strftime('%Y-%m', m.held_at, '+8 hours')",
    "postgres": "to_char(m.held_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')",
}
QUARTER_OF = {
    "sqlite": "substr({x}, 1, 4) || '-Q' || ((CAST(substr({x}, 6, 2) AS INTEGER) + 2) / 3)",
    "postgres": "substr({x}, 1, 4) || '-Q' || ((CAST(substr({x}, 6, 2) AS INTEGER) + 2) / 3)",
}


def cadence_sql(dialect: str, *, county_filter: bool) -> str:
    """Township-months with fewer than 2 held thematic meetings and township-quarters without a held plenary, in 2023."""
    month = LOCAL_MONTH[dialect]
    quarter = QUARTER_OF[dialect].format(x="p.m")
    where = ("WHERE c.code = " + ("$1" if dialect == "postgres" else "?")) if county_filter else ""
    return f"""
WITH periods(m) AS (VALUES {MONTHS}),
held AS (
  SELECT m.township_id, m.kind, {month} AS month, COUNT(*) AS n FROM meeting m
  WHERE m.status = 'HELD' GROUP BY m.township_id, m.kind, {month}
),
units AS (SELECT t.id, t.code FROM township t JOIN county c ON c.id = t.county_id {where}),
monthly AS (
  SELECT u.code, p.m AS period, COALESCE(SUM(h.n), 0) AS n FROM units u CROSS JOIN periods p
  LEFT JOIN held h ON h.township_id = u.id AND h.kind = 'THEMATIC' AND h.month = p.m GROUP BY u.code, p.m
),
quarterly AS (
  SELECT u.code, {quarter} AS period, COALESCE(SUM(h.n), 0) AS n FROM units u CROSS JOIN periods p
  LEFT JOIN held h ON h.township_id = u.id AND h.kind = 'PLENARY' AND h.month = p.m GROUP BY u.code, {quarter}
)
SELECT 'cadence.thematic_monthly' AS rule, code, period, n FROM monthly WHERE n < 2
UNION ALL SELECT 'cadence.plenary_quarterly', code, period, n FROM quarterly WHERE n < 1
"""


async def cadence_bound(*, county_code: str | None) -> tuple[float, int]:
    """Seconds and findings of the one-statement cadence computation (a county, or every county)."""
    connection = connections.get("default")
    dialect = "postgres" if connection.capabilities.dialect == "postgres" else "sqlite"
    sql = cadence_sql(dialect, county_filter=county_code is not None)
    started = time.perf_counter()
    rows = await connection.execute_query_dict(sql, [county_code] if county_code else [])
    return time.perf_counter() - started, len(rows)


def _rss_mb() -> float:
    """Resident set size now (Linux), in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


async def county_year(*, county_code: str, runs: int) -> list[Figure]:
    """A first run (raises the year's alerts), then steady-state runs as a nightly sweep sees them."""
    started = time.perf_counter()
    first = await run_compliance(rules=RulesConfig(), county_code=county_code, as_of=AS_OF, trigger="SWEEP")
    first_seconds = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await run_compliance(rules=RulesConfig(), county_code=county_code, as_of=AS_OF, trigger="SWEEP")
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    await run_compliance(rules=RulesConfig(), county_code=county_code, as_of=AS_OF, trigger="SWEEP")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    bounds = [(await cadence_bound(county_code=county_code)) for _ in range(runs)]
    value = median(times)
    return [Figure(
        name="compliance sweep, county-year", value=value * 1000, unit="ms",
        bound=median([b[0] for b in bounds]) * 1000, bound_name="one SQL: cadence findings", target="≤ 1 s",
        met=value <= 1.0,
        extra={"firstRunMs": round(first_seconds * 1000, 1), "facts": first.fact_count, "findings": len(first.findings),
               "boundFindings": bounds[0][1], "peakTracemallocMB": round(peak / 2**20, 1)},
    )]


async def province_year() -> list[Figure]:
    """`core.compliance.sweep`: every county in code order, one transaction each, streamed: memory after 10 vs all."""
    codes = await County.all().order_by("code").values_list("code", flat=True)
    rss: dict[int, float] = {}
    changes = 0
    started = time.perf_counter()
    index = 0
    async for result in sweep(rules=RulesConfig(), as_of=AS_OF):  # the server's own sweep: it streams one county at a time
        index += 1
        changes += len(result.changes)
        if index in (10, len(codes)):
            rss[index] = _rss_mb()
    seconds = time.perf_counter() - started
    bound, findings = await cadence_bound(county_code=None)
    after_10, after_all = rss.get(10, 0.0), rss.get(len(codes), 0.0)
    return [Figure(
        name=f"compliance sweep, province-year ({len(codes)} counties)", value=seconds, unit="s",
        bound=bound, bound_name="one SQL: cadence findings, all counties", target="≤ 30 s, memory flat",
        met=seconds <= 30.0 and after_all - after_10 < 50.0,
        extra={"rssAfter10MB": round(after_10, 1), f"rssAfter{len(codes)}MB": round(after_all, 1),
               "maxRssMB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), "boundFindings": findings, "alertChanges": changes},
    )]
