"""Fixtures for the demo tests: the demo document, built once per session."""

from __future__ import annotations

from typing import Any

import pytest

from server.demo.generate import build_luodian_2023


@pytest.fixture(scope="session")
def document() -> dict[str, Any]:
    """The demo document, built once (tests must not mutate it)."""
    return build_luodian_2023()
