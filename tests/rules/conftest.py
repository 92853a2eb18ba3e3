"""Rule tests switch between SQLite and PostgreSQL in one process: keep tortoise's SQL cache per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tortoise.backends.base.executor import EXECUTOR_CACHE


@pytest.fixture(autouse=True)
def _fresh_executor_cache() -> Iterator[None]:
    # tortoise 1.1.9 caches INSERT/DELETE SQL by (connection name, table), not by dialect: after a SQLite
    # test the PostgreSQL run would reuse `?` placeholders. Start and end every test with an empty cache.
    EXECUTOR_CACHE.clear()
    yield
    EXECUTOR_CACHE.clear()
