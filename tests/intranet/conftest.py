"""Fixtures for the intranet stories: a real server on the demo database (tests/demo_database.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving import served


@pytest.fixture
def demo_server(demo: str, tmp_path: Path) -> Iterator[str]:
    """`lianxi serve` on the demo database; yields its base URL."""
    with served(demo, tmp_path / "server.log") as base:
        yield base
