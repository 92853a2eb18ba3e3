"""Shared helpers for rule tests: run the check and look at the alerts it left."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rules.config import RulesConfig
from models.alerts import Alert
from core.compliance import RunResult, run_compliance


async def check(as_of: datetime, **kw: Any) -> RunResult:
    """Run the whole catalog for 罗甸县 at as-of (writing alerts unless write=False)."""
    return await run_compliance(rules=kw.pop("rules", RulesConfig()), county_code=kw.pop("county_code", "522728"), as_of=as_of, **kw)


async def alerts(rule_id: str | None = None) -> dict[str, Alert]:
    """The alerts by fingerprint (optionally one rule's)."""
    query = Alert.all() if rule_id is None else Alert.filter(rule_id=rule_id)
    return {a.fingerprint: a for a in await query}


def found(result: RunResult, rule_id: str) -> list[tuple[str, str | None]]:
    """(subjectCode, period) of one rule's findings."""
    return [(f["subjectCode"], f["period"]) for f in result.findings if f["ruleId"] == rule_id]


async def snapshot() -> list[dict[str, Any]]:
    """Every alert as comparable data (without row ids and run links)."""
    rows = await Alert.all().order_by("fingerprint").values()
    return [{k: v for k, v in row.items() if k not in ("id", "last_run_id")} for row in rows]
