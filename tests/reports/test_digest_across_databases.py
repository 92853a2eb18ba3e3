"""The same lianxi/v1 document loaded into SQLite and into PostgreSQL gives the same report, byte for byte in its findings, and the same digest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from tortoise import Tortoise
from tortoise.contrib.test import truncate_all_models

from server.db import tortoise_config
from tests.conftest import M2M_TABLES
from tests.reports.conftest import AS_OF_ISO, COUNTY, lianxi


async def _empty(url: str) -> None:
    """Start from an empty database, as a fresh installation would."""
    await Tortoise.init(config=tortoise_config(url))
    try:
        await truncate_all_models()
        for table in M2M_TABLES:
            await Tortoise.get_connection("default").execute_script(f'DELETE FROM "{table}"')
    finally:
        await Tortoise.close_connections()


@pytest.mark.postgres
async def test_sqlite_and_postgresql_give_the_same_digest(
    sqlite_url: str, postgres_url: str, demo_document: dict[str, Any], tmp_path: Path
) -> None:
    source = tmp_path / "luodian-2023.json"
    source.write_bytes(orjson.dumps(demo_document))
    reports = {}
    for name, url in (("sqlite", sqlite_url), ("postgres", postgres_url)):
        await _empty(url)
        loaded = lianxi(url, "load", str(source))
        assert loaded.returncode == 0, loaded.stderr.decode()
        output = tmp_path / f"{name}.json"
        result = lianxi(url, "report", "--county", COUNTY, "--from", "2023-01-01", "--to", "2023-12-31",
                        "--as-of", AS_OF_ISO, "--format", "json", "--output", str(output))
        assert result.returncode == 0, result.stderr.decode()
        reports[name] = json.loads(output.read_text(encoding="utf-8"))

    sqlite, postgres = reports["sqlite"], reports["postgres"]
    assert sqlite["digest"] == postgres["digest"]
    assert sqlite["findings"] == postgres["findings"] and len(sqlite["findings"]) == 65
    for key in ("months", "quarters", "statistics", "ruleSummaries", "townshipSummaries", "rules"):
        assert sqlite[key] == postgres[key], key
