"""Fixtures for the demo tests: one document per session, and clean ORM state per backend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from server.demo.generate import build_luodian_2023


@pytest.fixture(scope="session")
def document() -> dict[str, Any]:
    """The demo document, built once (tests must not mutate it)."""
    return build_luodian_2023()


@pytest.fixture(autouse=True)
def _fresh_executor_cache() -> Iterator[None]:
    # tortoise caches INSERT SQL per (connection name, table), not per dialect: clear it when tests switch backends.
    EXECUTOR_CACHE.clear()
    yield
    EXECUTOR_CACHE.clear()


@pytest.fixture
async def orm(orm: str) -> AsyncIterator[str]:
    """The shared `orm` fixture plus the many-to-many tables truncate_all_models leaves full on SQLite."""
    connection = Tortoise.get_connection("default")
    for table in ("meeting_attendee", "meeting_case"):
        await connection.execute_script(f'DELETE FROM "{table}"')
    yield orm
