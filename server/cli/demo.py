"""`lianxi demo`: build the Luodian demo (2023 as the seed report has it, then up to the build day),
rebuild the demo database from it, check every 2023 seed figure and run the rules at the build day.

The demo never deletes a database in use: with --serve the port is checked before anything else; a
SQLite demo file a server holds (`server.database_lock`) is refused at once, in one line; otherwise the
new database is built beside it (`<file>.building`) and swapped in (a rename) only at the end, under an
exclusive lock, so a failed build or a server started meanwhile leaves the old file as it was."""

from __future__ import annotations

from core import clock
import argparse
import asyncio
import dataclasses
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from datetime import date, datetime
from pathlib import Path
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from models.units import County
from core.audit import Actor
from core.replay import replay_county
from core.reports.service import run_report
from core.settings import Settings
from core.statistics import Figure, SEED_FIGURES, document_figures, seed_figures
from server.auth.tokens import create_demo_tokens, demo_scopes
from server.cli.check import check_county
from server.cli.commands import help_of
from server.cli.demo_tokens import read_kept, tokens_file, tokens_table, write_kept
from server.cli.problems import check_port_free
from server.cli.serve import serve_forever
from server.database_lock import DatabaseInUse, in_use, in_use_message, replacing, sqlite_file
from server.db import database
from server.demo.continuation import build_instant
from server.demo.generate import build_luodian
from server.demo.plan import COUNTY_CODE, TIMEZONE, YEAR
from server.load.errors import LoadError
from server.load.service import load_document
from server.reports.formats import render

DEFAULT_OUTPUT = "lianxi-demo.json"
REPORT_NAME = f"lianxi-report-{COUNTY_CODE}-{YEAR}.html"
TODAY_ENV = "LIANXI_DEMO_TODAY"
# The 2023 report is read as of the year's close: midnight of 1 January, county time (it writes nothing).
REPORT_AS_OF = datetime(YEAR + 1, 1, 1, tzinfo=ZoneInfo(TIMEZONE))


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `lianxi demo` and its options."""
    parser = subparsers.add_parser(
        "demo", help=help_of("demo")
    )
    parser.add_argument("--output", type=Path, default=Path(DEFAULT_OUTPUT), help=f"where to write the document ({DEFAULT_OUTPUT})")
    parser.add_argument("--today", type=_day, default=None, metavar="YYYY-MM-DD",
                        help=f"the build day: activity is generated up to 00:00 of it (default: ${TODAY_ENV}, "
                             f"else today in {TIMEZONE}); the same day gives the same document")
    parser.add_argument("--no-load", action="store_true", help="only write the document (figures counted in it)")
    parser.add_argument("--keep-database", action="store_true",
                        help="load into the configured database as it is instead of rebuilding a SQLite demo file")
    parser.add_argument("--report", type=Path, default=None,
                        help=f"where to write the {YEAR} HTML auditor report (default: {REPORT_NAME} next to --output)")
    parser.add_argument("--serve", action=argparse.BooleanOptionalAction, default=False,
                        help="start the server afterwards (--no-serve: do not; the last one given wins)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.set_defaults(handler=_run)


def _day(raw: str) -> date:
    """A YYYY-MM-DD build day on or after 2024-01-01 (argparse type)."""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {raw!r}") from None
    if day < date(YEAR + 1, 1, 1):
        raise argparse.ArgumentTypeError(f"the demo continues {YEAR} up to the build day: pick {YEAR + 1}-01-01 or later, not {raw}")
    return day


def build_day(given: date | None, environ: dict[str, str] | None = None) -> date:
    """--today, else $LIANXI_DEMO_TODAY, else today's date in Asia/Shanghai."""
    if given is not None:
        return given
    raw = (os.environ if environ is None else environ).get(TODAY_ENV, "").strip()
    if raw:
        try:
            return _day(raw)
        except argparse.ArgumentTypeError as exc:
            raise SystemExit(f"lianxi demo: {TODAY_ENV}: {exc}") from None
    return clock.local_today(TIMEZONE)


class Timer:
    """Collects how long each phase took, and shows progress on stderr while it runs."""

    def __init__(self, progress: Console | None = None) -> None:
        """Start with no phases; `progress` is the stderr console (None: silent)."""
        self.steps: list[tuple[str, float]] = []
        self.progress = progress

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the body of a `with` block under a name (a spinner, then one line with its seconds)."""
        started = perf_counter()
        try:
            if self.progress is None:
                yield
            else:
                with self.progress.status(f"{name}…"):
                    yield
        finally:
            seconds = perf_counter() - started
            self.steps.append((name, seconds))
            if self.progress is not None:
                self.progress.print(f"[green]✔[/green] {name} [dim]({seconds:.2f} s)[/dim]")

    def table(self) -> Table:
        """The steps and their total as a rich table."""
        table = Table(title="Timing", show_header=True)
        table.add_column("step")
        table.add_column("seconds", justify="right")
        for name, seconds in self.steps:
            table.add_row(name, f"{seconds:.2f}")
        table.add_row("total", f"{sum(s for _, s in self.steps):.2f}", style="bold")
        return table


def figures_table(figures: list[Figure], title: str) -> Table:
    """Figure | 年度数字 | expected | computed | ✓/✗."""
    table = Table(title=title)
    table.add_column("Figure", no_wrap=True)
    table.add_column("年度数字", overflow="fold")
    table.add_column("expected", justify="right")
    table.add_column("computed", justify="right")
    table.add_column("✓/✗", justify="center")
    for figure in figures:
        mark = "[green]✓[/green]" if figure.ok else "[bold red]✗[/bold red]"
        table.add_row(figure.key, figure.zh, f"{figure.expected:,}", f"{figure.computed:,}", mark)
    return table


def _from_document(doc: dict[str, Any]) -> list[Figure]:
    """The seed figures counted in the document itself (used with --no-load)."""
    counted = document_figures(doc, county_code=COUNTY_CODE, year=YEAR)
    return [Figure(key, s.zh, s.en, s.value, counted[key]) for key, s in SEED_FIGURES.items()]


_SIDE_FILES = ("-wal", "-shm", "-journal")


def _remove(path: Path) -> None:
    """A SQLite file and its side files, if there."""
    for extra in ("", *_SIDE_FILES):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def building_file(target: Path) -> Path:
    """Where the new demo database is built (a leftover of an interrupted build is removed first)."""
    building = target.with_name(f"{target.name}.building")
    _remove(building)
    return building


def swap_in(building: Path, target: Path) -> str:
    """Replace `target` by the freshly built file, holding `target` exclusively (DatabaseInUse, and the new file
    discarded, when a server holds it); the one line to print."""
    existed = target.exists()
    try:
        with replacing(target):
            for extra in _SIDE_FILES:  # an old journal must never be replayed into the new file
                Path(f"{target}{extra}").unlink(missing_ok=True)
            for extra in _SIDE_FILES:
                if Path(f"{building}{extra}").exists():
                    os.replace(f"{building}{extra}", f"{target}{extra}")
            os.replace(building, target)
    except DatabaseInUse:
        _remove(building)
        raise
    return f"{'rebuilt' if existed else 'created'} the demo database {target}"


async def _load_and_check(
    doc: dict[str, Any], settings: Settings, console: Console, timer: Timer, report_path: Path | None = None, *, today: date,
    kept: dict[str, tuple[str | None, str]] | None = None,
) -> tuple[list[Figure], dict[str, str], dict[str, str | None]] | None:
    """Load the document into `settings.database_url`, run the rules at the build day and compute the 2023
    figures back; the figures, the demo tokens (the `kept` ones again where their scope is unchanged) and their
    scopes, None if the load failed."""
    async with AsyncExitStack() as stack:
        with timer.step("open database (migrate)"):
            await stack.enter_async_context(database(settings.database_url))
        with timer.step("load"):
            try:
                summary = await load_document(doc, actor=Actor("cli:demo"), rules=settings.rules)
            except LoadError as exc:
                console.print(f"[bold red]load failed[/bold red] ({len(exc.problems)} problem(s)):")
                for problem in exc.problems[:30]:
                    console.print(f"  {problem}")
                return None
        console.print(f"loaded into {_redact(settings.database_url)}: {_describe(summary)}")
        with timer.step(f"replay {YEAR}-01-01 → {today} (the nightly sweeps, so alerts have their history)"):
            replayed = await _replay(console, settings, today=today)
        console.print(
            f"replayed {replayed.days} days in {replayed.runs} runs: {replayed.alerts} alerts in the history, "
            f"{replayed.open_alerts} open"
        )
        with timer.step(f"rule check at the build day ({build_instant(today).isoformat()})"):
            county = await County.get(code=COUNTY_CODE).values("code", "name", "timezone")
            await check_county(county=county, as_of=build_instant(today), console=console, rules=settings.rules)
        with timer.step(f"{YEAR} seed figures from the database"):
            figures = await seed_figures(county_code=COUNTY_CODE, year=YEAR)
        if report_path is not None:
            with timer.step(f"{YEAR} auditor report (HTML)"):
                await _write_report(report_path, console, settings)
        tokens = await create_demo_tokens(COUNTY_CODE, kept=kept)
        return figures, tokens, {role.value: scope for role, scope in (await demo_scopes(COUNTY_CODE)).items()}


async def _replay(console: Console, settings: Settings, *, today: date) -> Any:
    """Rebuild the alert history as the nightly sweep would have, from 2023-01-01 to the build day."""

    first = date(YEAR, 1, 1)
    with Progress(TextColumn("replay"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("", total=(today - first).days + 1)

        def advance(day: date) -> None:
            progress.update(task, advance=1, description=day.isoformat())

        # a fresh database: the replay applies (a dry run would build nothing)
        return await replay_county(rules=settings.rules, county_code=COUNTY_CODE, start=first, end=today, apply=True,
                                   actor=Actor("cli:demo"), progress=advance)


async def _write_report(path: Path, console: Console, settings: Settings) -> None:
    """The 2023 auditor report as one HTML page (`lianxi report --format html`), as of 2024-01-01 (read-only)."""
    report = await run_report(
        rules=settings.rules, county_code=COUNTY_CODE, first_day=date(YEAR, 1, 1), last_day=date(YEAR, 12, 31), as_of=REPORT_AS_OF, actor="cli:demo"
    )
    path.write_bytes(render(report, "html"))
    console.print(f"auditor report {YEAR}: {path.resolve()} ({len(report.findings)} findings, digest sha256:{report.digest})")


def _describe(summary: Any) -> str:
    """One line per load: created/updated/unchanged rows per entity that has any."""
    counts = summary.as_dict() if hasattr(summary, "as_dict") else {}
    parts = [f"{name} +{c['created']} ~{c['updated']} ={c['unchanged']}" for name, c in counts.items() if any(c.values())]
    return ", ".join(parts) or str(summary)


def _redact(url: str) -> str:
    """A database URL without its password."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest and ":" in rest.split("@", 1)[0]:
        user = rest.split("@", 1)[0].split(":", 1)[0]
        rest = f"{user}:***@{rest.split('@', 1)[1]}"
    return f"{scheme}{sep}{rest}"


def _run(args: argparse.Namespace, settings: Settings, *, serve: Callable[..., Any] | None = None) -> int:
    """Build, write, rebuild the database, load, check, time, and maybe serve; 1 when a 2023 figure
    differs from the seed or the load fails."""
    console = Console(width=max(Console().width, 132))  # tables stay readable when piped
    if args.serve:
        check_port_free(args.host, args.port)  # before anything: a busy port is one line (exit 2), nothing built
    rebuild = not args.no_load and not getattr(args, "keep_database", False)
    target = sqlite_file(settings.database_url) if rebuild else None
    if target is not None and in_use(target):
        raise DatabaseInUse(in_use_message(target))
    timer = Timer(Console(stderr=True))
    today = build_day(getattr(args, "today", None))
    if not args.no_load and build_instant(today) > clock.now():  # its replay and check would write ahead of the present
        print(f"lianxi demo: the build day {today} lies after today in {TIMEZONE} ({clock.local_today(TIMEZONE)}): "
              f"alerts may not be written ahead of the present (use --no-load, or start the clock there with "
              f"LIANXI_CLOCK={build_instant(today).isoformat()})", file=sys.stderr)
        return 2
    with timer.step(f"build document (2023 → {today})"):
        doc = build_luodian(today)
    with timer.step("write JSON"):
        args.output.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
    console.print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.1f} MB, build day {today}): "
                  f"{len(doc['people']):,} people, {len(doc['meetings']):,} meetings, "
                  f"{len(doc['cases']):,} cases, {len(doc['mediationVisits']):,} mediation visits")
    if args.no_load:
        with timer.step("count figures in the document"):
            figures = _from_document(doc)
        console.print(figures_table(figures, f"罗甸县 {YEAR}: seed figures counted in the document (not loaded)"))
    else:
        into = settings
        if target is not None:
            building = building_file(target)
            console.print(f"building the demo database in {building} ({target} is replaced once it is built)")
            into = dataclasses.replace(settings, database_url=f"sqlite://{building}")
        elif rebuild:
            console.print(f"loading into {_redact(settings.database_url)} as it is (not a SQLite file: nothing deleted; "
                          "2023 figures may drift)")
        report_path = args.report if getattr(args, "report", None) else args.output.parent / REPORT_NAME
        kept_path = tokens_file(target, settings) if target is not None else None
        loaded = asyncio.run(_load_and_check(doc, into, console, timer, report_path, today=today, kept=read_kept(kept_path)))
        if loaded is None:
            if target is not None:
                _remove(building)
            console.print(timer.table())
            return 1
        figures, tokens, scopes = loaded
        if target is not None:
            console.print(swap_in(building, target))
            write_kept(kept_path, tokens, scopes)
        console.print(tokens_table(tokens, scopes, kept=kept_path))
        console.print(figures_table(figures, f"罗甸县 {YEAR}: seed figures computed back from the database"))
    console.print(timer.table())
    failed = [f.key for f in figures if not f.ok]
    if failed:
        console.print(f"[bold red]{len(failed)} figure(s) differ from the seed report:[/bold red] {', '.join(failed)}")
        return 1
    console.print(f"[green]all {len(figures)} seed figures reproduced[/green]")
    if args.serve:
        (serve or serve_forever)(settings, host=args.host, port=args.port)
    return 0
