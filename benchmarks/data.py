"""Benchmark data: the Luodian demo as one county, or 88 demo-like counties (a province), through the lianxi/v1 import.

A province county is the demo document with every code, id and number rewritten: county codes
520101…, townships/villages/grids/household groups extend them (the importer checks that), and
people, meeting, visit ids and case numbers get the county's prefix so they stay unique. Built
databases are cached under the cache directory, keyed by GENERATOR_VERSION and a digest of the demo document.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson

from server.demo.generate import build_luodian_2023
from server.load.service import load_document

GENERATOR_VERSION = 1
MIGRATIONS = Path(__file__).resolve().parent.parent / "models" / "migrations"
DEMO_COUNTY = "522728"
PROVINCE_COUNTIES = 88
PROVINCE_BATCH = 22


@lru_cache(maxsize=1)
def _demo_text() -> str:
    return orjson.dumps(build_luodian_2023()).decode()


def data_key() -> str:
    """GENERATOR_VERSION, a digest of the demo document and of the migrations: a changed generator or schema never reuses an old province."""
    migrations = "".join(p.read_text(encoding="utf-8") for p in sorted(MIGRATIONS.glob("*.py")))
    digest = hashlib.sha256((_demo_text() + migrations).encode()).hexdigest()[:10]
    return f"v{GENERATOR_VERSION}_{digest}"


def demo_document() -> dict[str, Any]:
    """The Luodian 2023 document (a fresh copy)."""
    return orjson.loads(_demo_text())  # type: ignore[no-any-return]


def county_code(index: int) -> str:
    """The index-th province county: 520101, 520102, … (6 digits, never the demo's 522728)."""
    return f"52{101 + index:04d}"


_PERSON = re.compile(r'"(P|MV)(\d{5})"')


def province_county(index: int) -> dict[str, Any]:
    """The demo county rewritten as county `index`: new codes, and ids and case numbers prefixed with the county."""
    code = county_code(index)
    text = _demo_text().replace(DEMO_COUNTY, code)  # codes, case numbers and meeting ids all start with the county code
    text = _PERSON.sub(lambda m: f'"{m.group(1)}{code}-{m.group(2)}"', text)
    document: dict[str, Any] = orjson.loads(text)
    document["counties"][0]["name"] = f"模拟县{index + 1:02d}"
    return document


@dataclass(frozen=True, slots=True)
class ImportFigure:
    counties: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


async def import_document(document: dict[str, Any]) -> ImportFigure:
    """Load one document through the real import path (validate whole, one transaction) and time it."""
    started = time.perf_counter()
    summary = await load_document(document)
    seconds = time.perf_counter() - started
    rows = sum(c.created + c.updated + c.unchanged for c in summary.entities.values())
    return ImportFigure(",".join(c["code"] for c in document["counties"]), rows, seconds)


def merged(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Several one-county documents as one lianxi/v1 document."""
    document: dict[str, Any] = {"format": "lianxi/v1"}
    for key in ("people", "counties", "meetings", "cases", "mediationVisits"):
        document[key] = [item for part in parts for item in part.get(key, [])]
    return document


def documents(scale: str) -> Iterator[dict[str, Any]]:
    """The documents a scale imports: the demo county, or the province in PROVINCE_BATCH-county documents.

    The importer reads every stored row of the tables it touches before each load (server/load/existing.py),
    so one load per county would make a province import quadratic; a few big documents keep it to minutes.
    """
    if scale == "county":
        yield demo_document()
        return
    for start in range(0, PROVINCE_COUNTIES, PROVINCE_BATCH):
        yield merged([province_county(i) for i in range(start, min(start + PROVINCE_BATCH, PROVINCE_COUNTIES))])
