"""`lianxi replay --county CODE --from DATE [--to DATE] [--apply] [--export FILE.jsonl] [--naive]`: rebuild a
county's alert history, keeping what people did.

Re-runs each night's sweep (00:00 local of each day) from --from to --to (default: today, the
county's local date) on the county's alert rows (`core.replay`): every alert keeps its id and its
acknowledgement, waiver and notes; what lies wholly before --from is left alone; no alert is
deleted. Without --apply it is a dry run: it prints what would change (per rule: raised, reopened,
resolved, escalated, retimed, updated; a few examples) and writes nothing. With --apply it writes
all of it in one transaction with one audit entry. Progress on stderr. Exit status: 0 done; 1 bad
input (unknown county, bad or reversed dates) or engine errors; 2 refused (a --to after today).
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
from core.compliance import RunRefused
from core.replay import ReplayRefused, ReplayResult, export_alerts, replay_county, replay_window
from core.replay_diff import KINDS
from core.settings import Settings
from server.cli.commands import help_of
from server.db import database


class ReplayInputError(ValueError):
    """Bad command-line input (exit status 1)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay",
        help=help_of("replay"),
        description="Rebuild a county's alert lifecycle from --from to --to as the nightly sweeps (00:00 local) would "
        "have built it, keeping every alert's id and what people did (acknowledgements, waivers, notes). A dry run "
        "unless --apply: prints what would change and writes nothing.",
    )
    parser.add_argument("--county", metavar="CODE", required=True, help="6-digit county code")
    parser.add_argument("--from", dest="first", metavar="DATE", required=True, help="first local day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="last", metavar="DATE", help="last local day, inclusive (YYYY-MM-DD; default today)")
    parser.add_argument("--apply", action="store_true", help="write the rebuilt history (one transaction, one audit entry)")
    parser.add_argument("--export", metavar="FILE", help="write the county's alerts afterwards as JSON lines")
    parser.add_argument("--naive", action="store_true", help="evaluate the whole county every day (slow; for checking)")
    parser.set_defaults(handler=_run)


def _day(raw: str, name: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ReplayInputError(f"{name} is not a date (YYYY-MM-DD): {raw!r}") from None


def _print(result: ReplayResult) -> None:
    """What changed (or would change): totals, a table per rule, examples, vanished alerts, acknowledgements."""
    changes = result.changes
    mode = "applied" if result.applied else "dry run, nothing written (--apply to write)"
    print(
        f"replayed {result.county_code} {result.start}..{result.end} ({mode}): {result.days} days, {result.runs} runs "
        f"({result.full_runs} full), {result.runs_removed} earlier runs superseded, {result.alerts_before} → "
        f"{result.alerts} alerts ({result.open_alerts} open) in {result.duration_s:.1f} s"
    )
    totals = changes.totals()
    verb = "changed" if result.applied else "would change"
    print(f"{verb}: " + ", ".join(f"{totals.get(kind, 0)} {kind}" for kind in KINDS)
          + f"; {len(changes.vanished)} vanished; {len(changes.superseded)} acknowledgements of an earlier raising")
    if changes.per_rule:
        width = max(len(rule) for rule in changes.per_rule)
        print(f"  {'rule':<{width}}  " + " ".join(f"{kind:>9}" for kind in KINDS))
        for rule, counts in sorted(changes.per_rule.items()):
            print(f"  {rule:<{width}}  " + " ".join(f"{counts.get(kind, 0):>9}" for kind in KINDS))
    for kind in KINDS:
        for example in changes.examples.get(kind, []):
            print(f"  e.g. {kind}: {example}")
    for fp in changes.vanished[:5]:
        print(f"  vanished (never found from {result.start} on; resolved, kept): {fp}")
    for ack in changes.superseded[:5]:
        print(f"  acknowledgement of an earlier raising (kept in the audit log): {ack['fingerprint']} by "
              f"{ack['acknowledgedBy']} at {ack['acknowledgedAt']}")


async def _replay(args: argparse.Namespace, settings: Settings, first: date, last: date | None) -> int:
    err = Console(stderr=True)
    async with database(settings.database_url):
        _, last = await replay_window(county_code=args.county, start=first, end=last)  # refused before it starts
        with Progress(
            TextColumn(f"replay {args.county}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
            TimeElapsedColumn(), console=err, transient=False,
        ) as progress:
            task = progress.add_task("", total=(last - first).days + 1)

            def advance(day: date) -> None:
                progress.update(task, advance=1, description=day.isoformat())

            result = await replay_county(rules=settings.rules, county_code=args.county, start=first, end=last,
                                         apply=args.apply, naive=args.naive, progress=advance)
        if args.export:
            Path(args.export).write_bytes(await export_alerts(county_code=args.county))
    _print(result)
    for error in result.errors[:20]:
        print(f"engine error on {error['day']}: {error.get('ruleId') or 'engine'}: {error.get('error')}", file=sys.stderr)
    return 1 if result.errors else 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        first = _day(args.first, "--from")
        last = None if args.last is None else _day(args.last, "--to")
        if last is not None and last < first:
            raise ReplayInputError(f"--to {last} is before --from {first}")
        return asyncio.run(_replay(args, settings, first, last))
    except (ReplayRefused, RunRefused) as exc:  # (a RunRefused is a ValueError: caught before it, exit 2 like any refusal)
        print(f"lianxi replay: {exc}", file=sys.stderr)
        return 2
    except (ReplayInputError, ScopeError, ValueError) as exc:
        print(f"lianxi replay: {exc}", file=sys.stderr)
        return 1
