"""`python benchmarks/run.py --scale county|province [--db sqlite|postgres] [--json] [--runs N] [--peer postgraphile] [--processes N]`.

Every figure beside its bound. `--peer postgraphile` (PostgreSQL) adds the PostGraphile 5 comparison
(benchmarks/peer.py); `--scale province --processes N` (PostgreSQL) the sweep spread over N processes
and a one-county import into the province (benchmarks/spread.py, benchmarks/import_scale.py).

Data goes in through the lianxi/v1 importer; the HTTP figures come from a real `lianxi serve`
(uvicorn) subprocess; each module measures one thing (imports, sweep, hierarchy, dashboard, subscriber).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from benchmarks import dashboard, hierarchy, import_scale, imports, peer, spread, subscriber, sweep  # noqa: E402
from benchmarks.data import DEMO_COUNTY, county_code  # noqa: E402
from benchmarks.database import POSTGRES_ADMIN_URL, Target, fresh_county, province  # noqa: E402
from benchmarks.figures import Figure  # noqa: E402
from benchmarks.machine import describe  # noqa: E402
from benchmarks.server import _free_port, create_token, served  # noqa: E402
from server.db import database  # noqa: E402

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "lianxi-bench"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", choices=("county", "province"), default="county")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--json", action="store_true", help="print machine-readable figures instead of a table")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median reported)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent dashboard clients")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="where built databases are kept")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached province database")
    parser.add_argument("--peer", choices=("postgraphile",), help="also serve the same database with PostGraphile 5 and compare (PostgreSQL)")
    parser.add_argument("--peer-only", action="store_true", help="with --peer: only the peer comparison")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds of the peer comparison")
    parser.add_argument("--processes", type=int, default=0, help="province sweep: also sweep with this many processes (PostgreSQL)")
    return parser.parse_args(argv)


async def _first_township(code: str) -> str:
    from models.units import Township

    codes = await Township.filter(county__code=code).order_by("code").limit(1).values_list("code", flat=True)
    return str(codes[0])


async def _measure_served(url: str, code: str, args: argparse.Namespace) -> list[Figure]:
    """Sweep first (it raises the alerts the dashboard and the subscriber read), then the HTTP figures."""
    figures: list[Figure] = []
    async with database(url, apply_migrations=False):
        figures += await sweep.county_year(county_code=code, runs=args.runs)
        if args.scale == "province":
            figures += await sweep.province_year()
        township = await _first_township(code)
        admin = create_token(database_url=url)
        clerk = create_token(database_url=url, role="TOWNSHIP", scope=township)
        for cached in (False, True):
            with served(database_url=url, response_cache=cached) as base:
                figures += await hierarchy.measure(base=base, token=admin, county_code=code, runs=args.runs, cached=cached)
                figures += await dashboard.measure(
                    base=base, token=clerk, township_code=township, month="2023-12", clients=args.clients,
                    per_client=25, cached=cached,
                )
                if cached:
                    figures += await subscriber.measure(base=base, token=admin, county_code=code, runs=args.runs * 2)
        if args.db == "postgres":  # the deployment shape for load: one uvicorn worker per core
            with served(database_url=url, response_cache=False, workers=2) as base:
                figures += await dashboard.measure(
                    base=base, token=clerk, township_code=township, month="2023-12", clients=args.clients,
                    per_client=25, cached=False, workers=2,
                )
    return figures


async def _first_codes(county: str) -> tuple[str, str]:
    from models.units import Village

    township = await _first_township(county)
    village = await Village.filter(township__code=township).order_by("code").limit(1).values_list("code", flat=True)
    return township, str(village[0])


async def _measure_peer(url: str, code: str, args: argparse.Namespace) -> list[Figure]:
    """PostGraphile 5 and Lianxi (response cache off) on the same database, interleaved (benchmarks/peer.py)."""
    reason = peer.missing() if args.db == "postgres" else "the peer needs --db postgres"
    if reason is not None:
        print(f"peer comparison skipped: {reason}", file=sys.stderr)
        return []
    peer.install()
    async with database(url, apply_migrations=False):
        township, village = await _first_codes(code)
    admin = create_token(database_url=url)
    lianxi_pids: list[int] = []
    logged_pids: list[int] = []
    peer_pids: list[int] = []
    # Like for like: PostGraphile writes no line per request, so the compared Lianxi writes none either
    # (LIANXI_ACCESS_LOG=false, as behind a reverse proxy that logs); a second Lianxi with its default access log is
    # measured in the same rounds, so the price of that line is printed beside it.
    with served(database_url=url, response_cache=False, pids=lianxi_pids, access_log=False) as base, \
            served(database_url=url, response_cache=False, pids=logged_pids) as logged_base, \
            peer.served_peer(database_url=url, port=_free_port(), pids=peer_pids) as peer_base:
        return await peer.measure(
            lianxi_base=base, lianxi_token=admin, lianxi_pids=lianxi_pids, peer_base=peer_base, peer_pids=peer_pids,
            logged=(logged_base, logged_pids), database_url=url, admin_url=POSTGRES_ADMIN_URL, county=code,
            township=township, village=village, rounds=args.rounds,
        )


async def run(args: argparse.Namespace) -> dict[str, Any]:
    target = Target(args.db, args.cache_dir)
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    figures: list[Figure] = []
    async with fresh_county(target) as (url, demo_import):
        figures += imports.figures(demo_import, label="demo county import (fresh database)")
        if args.scale == "county":
            if not args.peer_only:
                figures += await _measure_served(url, DEMO_COUNTY, args)
            if args.peer:
                figures += await _measure_peer(url, DEMO_COUNTY, args)
    if args.scale == "province":
        url, built = await province(target, rebuild=args.rebuild)
        if built:
            figures += imports.figures(built, label="province import (22-county documents)")
        if args.processes and args.db == "postgres":
            figures += await spread.measure(url, processes=args.processes)
            figures += await import_scale.measure(url)
        if not args.peer_only and not args.processes:
            figures += await _measure_served(url, county_code(0), args)
        if args.peer:
            figures += await _measure_peer(url, county_code(0), args)
    return {"scale": args.scale, "db": args.db, "runs": args.runs, "machine": await describe(),
            "figures": [f.as_dict() for f in figures]}


def _cell(value: Any, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 3
        return f"{value:,.{digits}f} {unit}".strip()
    return f"{value} {unit}".strip()


def print_table(report: dict[str, Any]) -> None:
    table = Table(title=f"Lianxi benchmarks — {report['scale']} scale on {report['db']} (median of {report['runs']} runs)")
    for column in ("figure", "value", "lower bound", "ratio", "target", "met", "details"):
        table.add_column(column)
    for f in report["figures"]:
        details = ", ".join(f"{k}={v}" for k, v in f.items() if k not in
                            {"name", "value", "unit", "bound", "boundName", "ratio", "target", "met"})
        bound = f"{_cell(f['bound'], f['unit'])} ({f['boundName']})" if f["bound"] is not None else "—"
        met = {True: "yes", False: "NO", None: ""}[f["met"]]
        table.add_row(f["name"], _cell(f["value"], f["unit"]), bound, _cell(f["ratio"], "×"), f["target"], met, details)
    console = Console(width=200)
    console.print(table)
    console.print(", ".join(f"{k}: {v}" for k, v in report["machine"].items()))


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Everything written to standard output inside — ours, a library's, a child process's (npm) — goes to standard
    error instead, at the file-descriptor level, so that `--json` leaves nothing on stdout but the JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        with redirect_stdout(sys.stderr):  # and Python's own stdout object, whatever file it writes to
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if not args.json:
        print_table(asyncio.run(run(args)))
        return 0
    with _stdout_to_stderr():
        report = asyncio.run(run(args))
    sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
