"""Fixtures for the served app: a real `lianxi serve` subprocess and a token made with the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving import cli_token, served


@pytest.fixture
def admin_token(db_url: str) -> str:
    return cli_token(db_url)


@pytest.fixture
def server_env() -> dict[str, str]:
    """Extra environment for the served process (tests override it, e.g. to turn the sweep on)."""
    return {"LIANXI_SWEEP": "false"}


@pytest.fixture
def server(db_url: str, tmp_path: Path, server_env: dict[str, str]) -> Iterator[str]:
    with served(db_url, tmp_path / "serve.log", server_env) as base:
        yield base
