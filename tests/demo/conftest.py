"""Fixtures for the demo tests: the 2023 document and the demo built on a fixed day, each built once per session."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from server.demo.generate import build_luodian

BUILD_DAY = date(2026, 11, 30)


@pytest.fixture(scope="session")
def document(demo_document: dict[str, Any]) -> dict[str, Any]:
    """The 2023 demo document alone: the session's `demo_document` (tests/demo_database.py), under the name these tests use."""
    return demo_document


@pytest.fixture(scope="session")
def later_document() -> dict[str, Any]:
    """The demo built on 2026-11-30 (2023, then generated activity up to 00:00 of that day), built once."""
    return build_luodian(BUILD_DAY)


@pytest.fixture(params=["2023 alone", "built on 2026-11-30"])
def either_document(request: pytest.FixtureRequest, document: dict[str, Any], later_document: dict[str, Any]) -> dict[str, Any]:
    """Each demo document in turn, for the checks every lianxi/v1 demo document must pass."""
    return document if request.param == "2023 alone" else later_document
