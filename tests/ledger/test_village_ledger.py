"""A village reads its ledger (社情民意台账): what it collected, by channel and category, and what became of it."""

from __future__ import annotations


import httpx

from rules.config import RulesConfig
from models.cases import Case
from models.enums import CaseChannel, CaseEventType, CaseLevel
from tests.api.graphql import query
from tests.rules.factories import case, local, world

LEDGER = """query($code: String!, $period: String) { village(code: $code) { ledger(period: $period) {
  period firstDay lastDay collected mediated resolved escalated open
  byChannel { key collected mediated } byCategory { key collected mediated }
  items { number reportedOn channel status level outcome resolvedOn escalatedTo } } } }"""


async def test_a_village_ledger_counts_by_channel_with_state_as_at_the_period_end(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world()
    mediated = await case(w.village, local(2023, 5, 2, 10), number="L1", events=[
        (CaseEventType.RESOLVED, local(2023, 5, 20, 16), {"outcome": "MEDIATED"})])
    escalated = await case(w.village, local(2023, 5, 10, 10), number="L2", events=[
        (CaseEventType.ESCALATED, local(2023, 5, 25, 9), {"to_level": CaseLevel.TOWNSHIP}),
        (CaseEventType.RESOLVED, local(2023, 6, 3, 9), {"outcome": "MEDIATED"})])
    await Case.filter(id=escalated.id).update(channel=CaseChannel.HOUSEHOLD_CHAT)
    await case(w.village, local(2023, 6, 1, 0, 30), number="L3")  # June: not in May's ledger
    village = await client_for("VILLAGE", w.village.code)

    may = (await query(village, LEDGER, code=w.village.code, period="2023-05"))["village"]["ledger"]
    assert (may["firstDay"], may["lastDay"], may["collected"], may["mediated"], may["escalated"], may["open"]) == ("2023-05-01", "2023-05-31", 2, 1, 1, 1)
    assert may["byChannel"] == [{"key": "HOME_VISIT", "collected": 1, "mediated": 1}, {"key": "HOUSEHOLD_CHAT", "collected": 1, "mediated": 0}]
    assert [(i["number"], i["status"], i["level"], i["outcome"], i["resolvedOn"], i["escalatedTo"]) for i in may["items"]] == [
        (mediated.number, "RESOLVED", "VILLAGE", "MEDIATED", "2023-05-20", None),
        ("L2", "REPORTED", "TOWNSHIP", None, None, "TOWNSHIP"),  # resolved only in June
    ]
    year = (await query(village, LEDGER, code=w.village.code, period="2023"))["village"]["ledger"]
    assert (year["collected"], year["mediated"], year["open"]) == (3, 2, 1)
    bad = await village.post("/graphql", json={"query": LEDGER, "variables": {"code": w.village.code, "period": "May"}})
    assert "expected YYYY, YYYY-MM or YYYY-Qn" in bad.json()["errors"][0]["message"]

    auditor = await client_for("AUDITOR", w.county.code)
    assert (await query(auditor, LEDGER, code=w.village.code, period="2023"))["village"]["ledger"]["collected"] == 3


async def test_the_demo_villages_ledgers_add_up_to_the_seed_1225_collected_1203_mediated(demo: str, client: httpx.AsyncClient) -> None:
    data = await query(client, '{ county(code: "522728") { townships { villages { ledger(period: "2023") { collected mediated open } } } } }')
    ledgers = [v["ledger"] for t in data["county"]["townships"] for v in t["villages"]]
    assert len(ledgers) == 186
    assert (sum(ledger["collected"] for ledger in ledgers), sum(ledger["mediated"] for ledger in ledgers)) == (1225, 1203)


async def test_the_demo_report_carries_the_ledgers_and_the_visits_in_every_format(demo: str) -> None:
    import csv
    import io
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from server.reports.formats import render
    from core.reports.model import as_json
    from core.reports.service import run_report

    report = await run_report(rules=RulesConfig(), county_code="522728", first_day=date(2023, 1, 1), last_day=date(2023, 12, 31),
                              as_of=datetime(2024, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai")), actor="test")
    document = as_json(report)
    assert (sum(r["collected"] for r in document["ledger"]), sum(r["mediated"] for r in document["ledger"])) == (1225, 1203)
    assert sum(r["visits"] for r in document["visitCounts"]) == 1210
    text = render(report, "csv").decode("utf-8-sig")
    assert "社情民意台账 Village ledgers" in text and "深入村组调解 Mediation visits" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert any(row[1:2] == ["江亭村"] and row[0].startswith("522728109") for row in rows)
    assert "社情民意台账" in render(report, "html").decode() and "社情民意台账" in render(report, "table").decode()
