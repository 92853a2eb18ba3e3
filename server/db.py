"""Tortoise ORM configuration and the database lifecycle shared by the app, the CLI and tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlite3
from datetime import UTC, datetime

import tortoise.backends.sqlite.executor  # noqa: F401  (registers tortoise's adapters, which we refine below)
from tortoise import Tortoise
from tortoise.migrations.api import migrate

from server.settings import load_settings



def _sqlite_datetime(value: datetime) -> str:
    """SQLite compares datetimes as text, so every aware value (filters included) is written in UTC.

    tortoise stores rows in UTC but passes filter values through as given: `held_at < 2023-06-01
    00:00+08:00` would compare against the local text and shift month and year edges by eight hours.
    """
    return (value.astimezone(UTC) if value.tzinfo is not None else value).isoformat(" ")


sqlite3.register_adapter(datetime, _sqlite_datetime)

MODEL_MODULES = [
    "models.units",
    "models.people",
    "models.supervision",
    "models.meetings",
    "models.cases",
    "models.alerts",
    "models.audit",
    "models.deliveries",
    "models.tokens",
]


def tortoise_config(database_url: str) -> dict[str, Any]:
    """Build the Tortoise config; times are stored in UTC (use_tz) and shown in county time."""
    return {
        "connections": {"default": database_url},
        "apps": {
            "lianxi": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "models.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _default_config() -> dict[str, Any]:
    return tortoise_config(load_settings().database_url)


def __getattr__(name: str) -> Any:
    """`TORTOISE_ORM`, read by `tortoise makemigrations` ([tool.tortoise] in pyproject.toml), built on first use:
    importing this module must not read the settings (a bad one is reported by the CLI, not as an import traceback)."""
    if name == "TORTOISE_ORM":
        return _default_config()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


async def migrate_database(database_url: str) -> None:
    """Apply every migration in models/migrations to the database (idempotent)."""
    await migrate(config=tortoise_config(database_url))
    await Tortoise.close_connections()


@asynccontextmanager
async def database(database_url: str, *, apply_migrations: bool = True) -> AsyncIterator[None]:
    """Open the ORM for a CLI command or a test: migrate, init, yield, close."""
    if apply_migrations:
        await migrate_database(database_url)
    await Tortoise.init(config=tortoise_config(database_url))
    try:
        yield
    finally:
        await Tortoise.close_connections()
