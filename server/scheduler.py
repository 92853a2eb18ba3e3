"""The compliance sweep inside `lianxi serve`: once at start-up, then just after each county's own local midnight.

Every quarter of an hour (at minutes 5, 20, 35 and 50, so 00:05 local in whole-hour zones) the
scheduler sweeps the counties whose local day has no run yet (server/sweep_claims.py): a county in
Asia/Urumqi gets its run after Urumqi's midnight, not Beijing's. With several processes on
PostgreSQL each county-day is claimed by exactly one of them, so N processes share one sweep. A
county-day whose run was refused or failed is not done: each later tick tries it again, and `/healthz`
lists it (`sweepDays`) until it succeeds.
"""

from __future__ import annotations

from core import clock
import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from rules.config import RulesConfig
from core.settings import Settings
from server.sweep_claims import sweep_due

logger = logging.getLogger("lianxi.sweep")

SWEEP_MINUTES = "5,20,35,50"


async def run_sweep(trigger: str, rules: RulesConfig, now: datetime | None = None) -> list[str]:
    """Sweep the counties due at `now` (default: the clock); returns the codes this process tried. Refusals and failures
    are logged where they happen (server/sweep_claims.py), never raised; their days stay due for the next tick."""
    runs: list[str] = []
    async for result in sweep_due(rules=rules, now=now or clock.now(), trigger=trigger):
        runs.append(result.county_code)
        if result.run_id is None:
            continue
        logger.info(
            "sweep %s county %s: %d findings in %.0f ms, %d errors",
            trigger, result.county_code, len(result.findings), result.duration_ms, len(result.errors),
        )
    return runs


def start_scheduler(settings: Settings) -> AsyncIOScheduler:
    """Schedule the start-up sweep and the quarter-hourly check for counties past their local midnight, and start."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(run_sweep, args=["STARTUP", settings.rules], id="startup-sweep", misfire_grace_time=None)
    scheduler.add_job(
        run_sweep,
        CronTrigger(minute=SWEEP_MINUTES, timezone=UTC),
        args=["SWEEP", settings.rules],
        id="nightly-sweep",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=600,
    )
    scheduler.start()
    return scheduler
