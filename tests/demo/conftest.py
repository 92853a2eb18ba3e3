"""Fixtures for the demo tests: the 2023 document and the demo built on a fixed day, each built once per session."""

from __future__ import annotations

from typing import Any

import pytest

from tests.demo_database import LATER_BUILD_DAY as BUILD_DAY  # noqa: F401  (the demo tests name it so)


@pytest.fixture(scope="session")
def document(demo_document: dict[str, Any]) -> dict[str, Any]:
    """The 2023 demo document alone: the session's `demo_document` (tests/demo_database.py), under the name these tests use."""
    return demo_document


@pytest.fixture(scope="session")
def later_document(later_demo_document: dict[str, Any]) -> dict[str, Any]:
    """The demo built on 2026-11-30: the session's `later_demo_document` (tests/demo_database.py)."""
    return later_demo_document


@pytest.fixture(params=["2023 alone", "built on 2026-11-30"])
def either_document(request: pytest.FixtureRequest, document: dict[str, Any], later_document: dict[str, Any]) -> dict[str, Any]:
    """Each demo document in turn, for the checks every lianxi/v1 demo document must pass."""
    return document if request.param == "2023 alone" else later_document
