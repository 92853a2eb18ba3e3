"""`lianxi report --county CODE --from D --to D [--as-of ISO] [--rules ids] [--known-at ISO] [--format F] [--output FILE]`.

Writes the auditor report (server.reports) to FILE, or to stdout for text formats; xlsx needs
--output. Exits 1 with a message naming the bad argument (unknown county, from after to, bad
date, unknown rule id); the digest goes to stderr whatever the format, so scripts can compare it.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from datetime import date, datetime
from pathlib import Path
from time import perf_counter
from zoneinfo import ZoneInfo

from models.units import County
from core.reports.service import run_report
from core.reports.window import ReportInputError
from core.settings import Settings
from server.cli.check import CheckInputError, parse_as_of
from server.cli.commands import help_of
from server.cli.progress import working
from server.db import database
from server.reports.formats import FORMATS, render


class ReportArgumentError(ValueError):
    """A bad command-line argument (exit status 1)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help=help_of("report"),
        description="Run the rules read-only at an as-of and report the findings of a window of local days "
        "(no alert is written; the run is recorded with its SHA-256 digest).",
    )
    parser.add_argument("--county", metavar="CODE", required=True, help="6-digit county code")
    parser.add_argument("--from", dest="first", metavar="DATE", required=True, help="first local day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="last", metavar="DATE", required=True, help="last local day, inclusive (YYYY-MM-DD)")
    parser.add_argument("--as-of", metavar="ISO", help="evaluation instant with offset; a bare date means 00:00 county time (default: now)")
    parser.add_argument("--rules", metavar="IDS", help="comma-separated rule ids to report (default: every rule)")
    parser.add_argument("--known-at", metavar="ISO", help="evaluate only the records entered by this instant (audit trail)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write to FILE instead of stdout (required for xlsx)")
    parser.set_defaults(handler=_run)


def _day(raw: str, option: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ReportArgumentError(f"{option} is not a date (YYYY-MM-DD): {raw!r}") from None


def _instant(raw: str | None, option: str, timezone: str) -> datetime | None:
    if raw is None:
        return None
    try:
        return parse_as_of(raw, timezone)
    except CheckInputError as error:
        raise ReportArgumentError(str(error).replace("--as-of", option)) from None


async def _report(args: argparse.Namespace, settings: Settings) -> int:
    first, last = _day(args.first, "--from"), _day(args.last, "--to")
    async with database(settings.database_url):
        row = await County.get_or_none(code=args.county).values("timezone")
        if row is None:
            raise ReportArgumentError(f"--county: unknown county code {args.county!r}")
        zone = row["timezone"]
        started = perf_counter()
        try:
            report = await run_report(
                rules=settings.rules, county_code=args.county, first_day=first, last_day=last,
                as_of=_instant(args.as_of, "--as-of", zone), known_at=_instant(args.known_at, "--known-at", zone),
                rule_ids=[r.strip() for r in args.rules.split(",") if r.strip()] if args.rules else None,
                actor=f"cli:{getpass.getuser()}",
            )
        except ReportInputError as error:
            option = {"countyCode": "--county", "asOf": "--as-of", "knownAt": "--known-at"}.get(error.argument, f"--{error.argument}")
            raise ReportArgumentError(f"{option}: {error.message}") from None
    content = render(report, args.format)
    elapsed = perf_counter() - started
    if args.output is not None:
        args.output.write_bytes(content)
        print(f"wrote {args.output} ({args.format}, {len(content):,} bytes, {len(report.findings)} findings)", file=sys.stderr)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    local = report.as_of.astimezone(ZoneInfo(zone)).isoformat()
    print(f"digest sha256:{report.digest} (as of {local}, run {report.run_id}, {elapsed:.2f} s)", file=sys.stderr)
    return 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        if args.format == "xlsx" and args.output is None:
            raise ReportArgumentError("--output: xlsx is binary; name a file with --output FILE.xlsx")
        # reject malformed input before touching the database
        _day(args.first, "--from")
        _day(args.last, "--to")
        for raw, option in ((args.as_of, "--as-of"), (args.known_at, "--known-at")):
            _instant(raw, option, "UTC")
        with working(f"lianxi report {args.county} {args.first}…{args.last}: evaluating the rules"):
            return asyncio.run(_report(args, settings))
    except ReportArgumentError as exc:
        print(f"lianxi report: {exc}", file=sys.stderr)
        return 1
