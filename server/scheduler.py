"""The compliance sweep inside `lianxi serve`: once at start-up, then daily just after local midnight.

APScheduler runs the jobs on the server's event loop. With several processes on PostgreSQL each
schedules its own sweep; `rules.service.run_compliance` takes a per-county advisory lock and
alerts are unique by fingerprint, so concurrent sweeps serialise and never duplicate an alert.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from rules.service import sweep
from server.settings import Settings

logger = logging.getLogger("lianxi.sweep")

SWEEP_MINUTE_AFTER_MIDNIGHT = 5


async def run_sweep(trigger: str) -> None:
    """Sweep every county as of now; failures are logged and recorded per county, never raised."""
    async for result in sweep(as_of=datetime.now(UTC), trigger=trigger):
        logger.info(
            "sweep %s county %s: %d findings in %.0f ms, %d errors",
            trigger, result.county_code, len(result.findings), result.duration_ms, len(result.errors),
        )


def start_scheduler(settings: Settings) -> AsyncIOScheduler:
    """Schedule the start-up and the nightly sweep (in the county time zone) and start the scheduler."""
    scheduler = AsyncIOScheduler(timezone=ZoneInfo(settings.default_timezone))
    scheduler.add_job(run_sweep, args=["STARTUP"], id="startup-sweep", misfire_grace_time=None)
    scheduler.add_job(
        run_sweep,
        CronTrigger(hour=0, minute=SWEEP_MINUTE_AFTER_MIDNIGHT, timezone=ZoneInfo(settings.default_timezone)),
        args=["SWEEP"],
        id="nightly-sweep",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )
    scheduler.start()
    return scheduler
