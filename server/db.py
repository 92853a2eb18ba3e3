"""Tortoise ORM configuration and the database lifecycle shared by the app, the CLI and tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tortoise import Tortoise
from tortoise.migrations.api import migrate

from server.settings import load_settings

MODEL_MODULES = [
    "models.units",
    "models.people",
    "models.supervision",
    "models.meetings",
    "models.cases",
    "models.alerts",
    "models.audit",
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


# Read by `tortoise makemigrations` through [tool.tortoise] in pyproject.toml.
TORTOISE_ORM: dict[str, Any] = _default_config()


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
