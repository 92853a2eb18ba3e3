"""An analyst loads the Luodian demo (2023 and the months after) and finds every 2023 figure of the seed report through GraphQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from server.demo.generate import build_luodian
from core.statistics import SEED_FIGURES
from tests.api.graphql import query


@pytest.fixture(scope="session")
def march_2024_demo_document() -> dict[str, Any]:
    return build_luodian(date(2024, 3, 1))  # later activity must not move a 2023 figure


@pytest.fixture
async def march_2024_demo(orm: str) -> str:
    """The demo built on 2024-03-01, in this test's own copy of its template (tests/demo_database.py)."""
    return orm


async def test_every_seed_figure_reads_back_through_graphql(march_2024_demo: str, client: httpx.AsyncClient) -> None:
    data = await query(client, '{ county(code: "522728") { name statistics(year: 2023) { key labelZh value } townships { code } } }')
    county = data["county"]
    figures = {s["key"]: s["value"] for s in county["statistics"]}
    assert figures == {key: seed.value for key, seed in SEED_FIGURES.items()}
    assert len(county["townships"]) == 10

    jiangting = await query(client, '{ township(code: "522728109") { name villages { name households population groups } } }')
    assert jiangting["township"]["name"] == "沫阳镇"
    village = next(v for v in jiangting["township"]["villages"] if v["name"] == "江亭村")
    assert (village["households"], village["population"], village["groups"]) == (444, 1929, 9)

    thematic = await query(client, '{ meetings(filter: {townshipCode: "522728109", kind: THEMATIC, status: [HELD], period: "2023"}) { totalCount } }')
    held = await query(client, '{ meetings(filter: {countyCode: "522728", status: [HELD], period: "2023", kind: PLENARY}) { totalCount } }')
    assert held["meetings"]["totalCount"] == SEED_FIGURES["plenary_meetings"].value
    assert thematic["meetings"]["totalCount"] > 20


async def test_compliance_grid_shows_missed_months_honestly(march_2024_demo: str, client: httpx.AsyncClient) -> None:
    data = await query(client, """{ county(code: "522728") { townships { code compliance(year: 2023) {
        months { period thematicHeld thematicRequired supervised met } quarters { period plenaryHeld met } } } } }""")
    townships = data["county"]["townships"]
    held = sum(m["thematicHeld"] for t in townships for m in t["compliance"]["months"])
    plenaries = sum(q["plenaryHeld"] for t in townships for q in t["compliance"]["quarters"])
    assert held == SEED_FIGURES["thematic_meetings"].value
    assert plenaries == SEED_FIGURES["plenary_meetings"].value
    assert all(len(t["compliance"]["months"]) == 12 and len(t["compliance"]["quarters"]) == 4 for t in townships)
    missed = [m for t in townships for m in t["compliance"]["months"] if m["thematicHeld"] < m["thematicRequired"]]
    assert missed, "the seed's 222 of 240 thematic meetings means some months were missed"
    assert all(not m["met"] for m in missed)
    assert any(not q["met"] for t in townships for q in t["compliance"]["quarters"])
