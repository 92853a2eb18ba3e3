"""One more county imported into the province database (a template copy) against the same county into an empty database.

The importer reads only the rows the document names (server/load/existing.py), so the two should
cost about the same; the target is the province import within 2× of the empty one. Rounds alternate.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import asyncpg

from benchmarks.data import import_document, province_county
from benchmarks.database import POSTGRES_ADMIN_URL, Target, _create, drop
from benchmarks.figures import Figure, median
from server.db import database

NEW_COUNTY = 88  # 520189: not in the province


async def _copy(template: str, name: str) -> str:
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await connection.close()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


async def _timed(url: str) -> float:
    async with database(url, apply_migrations=False):
        return (await import_document(province_county(NEW_COUNTY))).seconds


async def measure(province_url: str, *, rounds: int = 2) -> list[Figure]:
    """Seconds to import county 520189 into an empty database and into a copy of the province (PostgreSQL)."""
    target = Target("postgres", Path(tempfile.gettempdir()) / "lianxi-bench")
    template = province_url.rsplit("/", 1)[1]
    empty: list[float] = []
    full: list[float] = []
    for _ in range(rounds):
        name = f"lianxi_bench_{uuid.uuid4().hex[:8]}"
        try:
            empty.append(await _timed(await _create(target, name)))
        finally:
            await drop(target, name)
        name = f"lianxi_bench_{uuid.uuid4().hex[:8]}"
        try:
            full.append(await _timed(await _copy(template, name)))
        finally:
            await drop(target, name)
    figure = Figure("one county imported into the 88-county database", median(full), "s", bound=median(empty),
                    bound_name="same county into an empty database", target="≤ 2× empty", extra={"rounds": rounds})
    figure.met = figure.ratio is not None and figure.ratio <= 2.0
    return [figure]
