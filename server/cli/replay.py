"""`lianxi replay --county CODE --from DATE --to DATE [--export FILE.jsonl] [--naive]`: rebuild a county's alert history.

Deletes the county's alerts and its writing runs from --from, then runs each night's sweep
(00:00 local of each day) up to --to (`core.replay`), showing progress on stderr. Nobody is
notified. `--export` writes the resulting alerts as JSON lines (byte-identical for equal
histories). Exits 0 when done, 1 for bad input (unknown county, bad or reversed dates) or when
the engine reported errors.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rules.scope import ScopeError
from core.replay import export_alerts, replay_county
from core.settings import Settings
from server.cli.commands import help_of
from server.db import database


class ReplayInputError(ValueError):
    """Bad command-line input (exit status 1)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay",
        help=help_of("replay"),
        description="Delete a county's alerts and runs from --from and re-run each night's sweep (00:00 local) "
        "up to --to. Deterministic: the same data and days give the same alerts.",
    )
    parser.add_argument("--county", metavar="CODE", required=True, help="6-digit county code")
    parser.add_argument("--from", dest="first", metavar="DATE", required=True, help="first local day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="last", metavar="DATE", required=True, help="last local day, inclusive (YYYY-MM-DD)")
    parser.add_argument("--export", metavar="FILE", help="write the county's alerts afterwards as JSON lines")
    parser.add_argument("--naive", action="store_true", help="evaluate the whole county every day (slow; for checking)")
    parser.set_defaults(handler=_run)


def _day(raw: str, name: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ReplayInputError(f"{name} is not a date (YYYY-MM-DD): {raw!r}") from None


async def _replay(args: argparse.Namespace, settings: Settings, first: date, last: date) -> int:
    err = Console(stderr=True)
    async with database(settings.database_url):
        with Progress(
            TextColumn(f"replay {args.county}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
            TimeElapsedColumn(), console=err, transient=False,
        ) as progress:
            task = progress.add_task("", total=(last - first).days + 1)
            result = await replay_county(
                rules=settings.rules, county_code=args.county, start=first, end=last, naive=args.naive,
                progress=lambda day: progress.update(task, advance=1, description=day.isoformat()),
            )
        if args.export:
            Path(args.export).write_bytes(await export_alerts(county_code=args.county))
    print(
        f"replayed {args.county} {first}..{last}: {result.days} days, {result.runs} runs ({result.full_runs} full), "
        f"{result.alerts} alerts ({result.open_alerts} open) in {result.duration_s:.1f} s"
    )
    for error in result.errors[:20]:
        print(f"engine error on {error['day']}: {error.get('ruleId') or 'engine'}: {error.get('error')}", file=sys.stderr)
    return 1 if result.errors else 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        first, last = _day(args.first, "--from"), _day(args.last, "--to")
        if last < first:
            raise ReplayInputError(f"--to {last} is before --from {first}")
        return asyncio.run(_replay(args, settings, first, last))
    except (ReplayInputError, ScopeError) as exc:
        print(f"lianxi replay: {exc}", file=sys.stderr)
        return 1
