"""`lianxi check [--county CODE] [--as-of ISO]`: run the compliance rules now (or at a past instant) and print a summary.

Findings are not failures: the command exits 0 when the run completed, 1 for bad input
(unknown county, malformed date) or when the engine reported errors (printed per rule; that
rule's alerts were left as they were), 2 when the as-of is earlier than the county's latest
county-wide run (the live alert state moves forward only) or after the present (only reports
look ahead): nothing is changed, and the one-line message points to `lianxi report` (and, for
an earlier as-of, `lianxi replay`).
"""

from __future__ import annotations

from core import clock
import argparse
import asyncio
import sys
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

from models.alerts import Alert
from models.enums import AlertStatus
from models.units import County
from rules.catalog import RULES
from rules.config import RulesConfig
from core.compliance import RunRefused, RunResult, run_compliance
from core.settings import Settings
from server.cli.commands import help_of
from server.db import database


class CheckInputError(ValueError):
    """Bad command-line input, reported with exit status 1."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help=help_of("check"),
        description="Evaluate every rule for a county (default: all counties) at an as-of instant and update alerts.",
    )
    parser.add_argument("--county", metavar="CODE", help="6-digit county code (default: every county)")
    parser.add_argument(
        "--as-of",
        metavar="ISO",
        help="evaluation instant with offset (2023-07-01T00:00:00+08:00); a bare date means 00:00 county time "
        "(default: now)",
    )
    parser.set_defaults(handler=_run)


def parse_as_of(raw: str | None, timezone: str) -> datetime:
    """`--as-of` → aware datetime: a bare date is 00:00 in the county's zone; a time needs an offset."""
    if raw is None:
        return clock.now()
    try:
        if len(raw) == 10:
            return datetime.combine(date.fromisoformat(raw), time.min, tzinfo=ZoneInfo(timezone))
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise CheckInputError(f"--as-of is not an ISO date or date-time: {raw!r}") from None
    if moment.tzinfo is None:
        raise CheckInputError(f"--as-of needs an offset (e.g. {raw}+08:00) or a bare date: {raw!r}")
    return moment


async def _check(settings: Settings, county: str | None, raw_as_of: str | None, console: Console) -> int:
    async with database(settings.database_url):
        if county is not None:
            counties = await County.filter(code=county).values("code", "name", "timezone")
            if not counties:
                raise CheckInputError(f"unknown county code {county!r}")
        else:
            counties = await County.all().order_by("code").values("code", "name", "timezone")
            if not counties:
                console.print("no counties in the database: nothing to check (load data first)")
                return 0
        failed = False
        for row in counties:
            as_of = parse_as_of(raw_as_of, row["timezone"])
            result = await check_county(county=row, as_of=as_of, console=console, rules=settings.rules)
            failed = failed or bool(result.errors)
        return 1 if failed else 0


async def check_county(*, county: dict[str, Any], as_of: datetime, console: Console, rules: RulesConfig) -> RunResult:
    """Run one county's rules at `as_of`, reconcile alerts, and print the per-rule summary (also used by `lianxi demo`)."""
    result = await run_compliance(rules=rules, county_code=county["code"], as_of=as_of, trigger="MANUAL", actor="cli")
    open_counts: dict[str, int] = {}
    for rule_id in await Alert.filter(
        county__code=county["code"], status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]
    ).values_list("rule_id", flat=True):
        open_counts[rule_id] = open_counts.get(rule_id, 0) + 1
    local = as_of.astimezone(ZoneInfo(county["timezone"])).isoformat()
    table = Table(title=Text(f"{county['name']} {county['code']} — as of {local}"))  # a county's name is not markup
    table.add_column("rule", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    for column in ("findings", "raised", "resolved", "reopened", "escalated", "open alerts"):
        table.add_column(column, justify="right", no_wrap=True)
    for spec in RULES:
        c = result.counts.get(spec.id, {})
        table.add_row(
            spec.id,
            str(spec.severity or "escalation"),
            *(str(c.get(key, 0)) for key in ("findings", "raised", "resolved", "reopened", "escalated")),
            str(open_counts.get(spec.id, 0)),
        )
    console.print(table)
    console.print(
        f"run {result.run_id}: {result.fact_count} facts, {len(result.findings)} findings, "
        f"{len(result.changes)} alert changes in {result.duration_ms:.0f} ms"
    )
    if note := result.parameters.get("calendar", {}).get("note"):
        console.print(f"[yellow]calendar[/yellow] {note}", markup=True, highlight=False)
    for error in result.errors:
        rule_id = error.get("ruleId") or "engine"
        console.print(Text.assemble(("engine error", "red"), f" {rule_id}: {error.get('error')} (its alerts were left as they were)"))
    return result


def _run(args: argparse.Namespace, settings: Settings) -> int:
    console = Console(width=max(Console().width, 132))  # the table stays readable when piped
    try:
        if args.as_of is not None:
            parse_as_of(args.as_of, "UTC")  # reject malformed input before touching the database
        return asyncio.run(_check(settings, args.county, args.as_of, console))
    except CheckInputError as exc:
        print(f"lianxi check: {exc}", file=sys.stderr)
        return 1
    except RunRefused as exc:
        print(f"lianxi check: {exc}", file=sys.stderr)
        return 2
