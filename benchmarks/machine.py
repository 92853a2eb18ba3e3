"""The machine a run was taken on: CPU model, cores, Python, SQLite and PostgreSQL versions."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path

import asyncpg

from benchmarks.database import POSTGRES_ADMIN_URL


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


async def _postgres_version() -> str:
    try:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return "not reachable"
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


async def describe() -> dict[str, str]:
    return {
        "cpu": _cpu_model(), "cores": str(os.cpu_count()), "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "postgresql": await _postgres_version(), "os": platform.platform(terse=True),
    }
