"""Fixtures for the intranet stories: the demo dataset (shared with the report tests) and a real server on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reports.conftest import demo, demo_document  # noqa: F401  (fixtures re-used as they are)
from tests.serving import served


@pytest.fixture
def demo_server(demo: str, tmp_path: Path) -> Iterator[str]:  # noqa: F811
    """`lianxi serve` on the demo database; yields its base URL."""
    with served(demo, tmp_path / "server.log") as base:
        yield base
