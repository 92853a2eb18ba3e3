"""A township records mediation visits to its villages, lists them and sees them counted per village and month."""

from __future__ import annotations

from datetime import datetime, timedelta

from models.audit import AuditEntry
from models.meetings import MediationVisit
from tests.api.graphql import query
from tests.rules.factories import case, local, village, world
from tests.writes import SHANGHAI, USER_ERRORS, gid, mutate

RECORD = f"""mutation($input: RecordMediationVisitInput!) {{ recordMediationVisit(input: $input) {{
  visit {{ id day outcome note village {{ code }} staff {{ name }} cases {{ number }} }} {USER_ERRORS} }} }}"""
LIST = """query($filter: MediationVisitFilter, $after: String) { mediationVisits(filter: $filter, first: 2, after: $after) {
  totalCount edges { node { day village { code } } } pageInfo { hasNextPage endCursor } } }"""
COUNTS = """query($filter: MediationVisitFilter) { mediationVisitCounts(filter: $filter) { villageCode month visits } }"""


async def test_a_township_records_a_mediation_visit_and_sees_it_counted(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world()
    other = await village(w.township, "202", "董架村")
    dispute = await case(w.village, local(2023, 5, 2, 10), number="C-JT-1")
    township = await client_for("TOWNSHIP", w.township.code)
    today = datetime.now(SHANGHAI).date()

    refused = await mutate(township, RECORD, input={"villageCode": w.village.code, "day": (today + timedelta(days=1)).isoformat(),
                                                    "staffIds": [], "caseNumbers": ["C-NOPE"]})
    assert sorted(e["field"][1] for e in refused["userErrors"]) == ["caseNumbers", "day", "staffIds"]
    assert await MediationVisit.all().count() == 0

    done = await mutate(township, RECORD, input={
        "villageCode": w.village.code, "day": "2023-05-20", "staffIds": [gid("Person", w.staff.id)],
        "caseNumbers": ["C-JT-1"], "outcome": "MEDIATED", "note": "入户调解土地边界纠纷",
    })
    assert done["userErrors"] == []
    assert {k: done["visit"][k] for k in ("day", "outcome", "staff", "cases")} == {
        "day": "2023-05-20", "outcome": "MEDIATED", "staff": [{"name": "业务员乙"}], "cases": [{"number": dispute.number}]}
    for day, unit in (("2023-05-31", other), ("2023-06-01", w.village)):
        assert (await mutate(township, RECORD, input={"villageCode": unit.code, "day": day, "staffIds": [gid("Person", w.leader.id)]}))["userErrors"] == []

    counts = await query(township, COUNTS, filter={"townshipCode": w.township.code, "period": "2023"})
    assert counts["mediationVisitCounts"] == [
        {"villageCode": w.village.code, "month": "2023-05", "visits": 1},
        {"villageCode": w.village.code, "month": "2023-06", "visits": 1},
        {"villageCode": other.code, "month": "2023-05", "visits": 1},
    ]
    may = await query(township, LIST, filter={"period": "2023-05"})
    assert may["mediationVisits"]["totalCount"] == 2
    assert [e["node"]["day"] for e in may["mediationVisits"]["edges"]] == ["2023-05-20", "2023-05-31"]
    village_only = await query(township, LIST, filter={"villageCode": other.code})
    assert [e["node"]["village"]["code"] for e in village_only["mediationVisits"]["edges"]] == [other.code]
    assert (await AuditEntry.filter(action="recordMediationVisit").count()) == 3

    admin = await client_for("ADMIN")
    stats = await query(admin, """{ county(code: "522728") { statistics(year: 2023) { key value } } }""")
    assert {s["key"]: s["value"] for s in stats["county"]["statistics"]}["mediation_visits"] == 3


async def test_visits_stay_inside_the_jurisdiction_and_auditors_only_read(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world()
    other = await village(w.township, "202", "董架村")
    township = await client_for("TOWNSHIP", w.township.code)
    await mutate(township, RECORD, input={"villageCode": other.code, "day": "2023-05-31", "staffIds": [gid("Person", w.staff.id)]})
    mine = await client_for("VILLAGE", w.village.code)
    assert (await query(mine, LIST))["mediationVisits"]["totalCount"] == 0
    elsewhere = await mutate(mine, RECORD, input={"villageCode": other.code, "day": "2023-05-31", "staffIds": [gid("Person", w.staff.id)]})
    assert [(e["field"], e["code"]) for e in elsewhere["userErrors"]] == [(["input", "villageCode"], "NOT_FOUND")]  # as a missing one
    auditor = await client_for("AUDITOR", w.county.code)
    assert (await query(auditor, LIST))["mediationVisits"]["totalCount"] == 1
    refused = await mutate(auditor, RECORD, input={"villageCode": other.code, "day": "2023-05-31", "staffIds": [gid("Person", w.staff.id)]})
    assert [e["code"] for e in refused["userErrors"]] == ["FORBIDDEN"] and await MediationVisit.all().count() == 1


async def test_a_visit_keeps_its_countys_day_and_month_whatever_the_servers_zone(client_for) -> None:  # type: ignore[no-untyped-def]
    w = await world()
    w.county.timezone = "Pacific/Kiritimati"  # UTC+14: its midnight is 18:00 the day before in the server's Shanghai
    await w.county.save(update_fields=["timezone"])
    township = await client_for("TOWNSHIP", w.township.code)
    for day in ("2023-05-31", "2023-06-01"):
        assert (await mutate(township, RECORD, input={"villageCode": w.village.code, "day": day, "staffIds": [gid("Person", w.staff.id)]}))["userErrors"] == []

    may = await query(township, LIST, filter={"period": "2023-05"})
    assert [e["node"]["day"] for e in may["mediationVisits"]["edges"]] == ["2023-05-31"]
    everything = await query(township, LIST, filter={"townshipCode": w.township.code})
    assert [e["node"]["day"] for e in everything["mediationVisits"]["edges"]] == ["2023-05-31", "2023-06-01"]
    counts = await query(township, COUNTS, filter={"townshipCode": w.township.code})
    assert counts["mediationVisitCounts"] == [
        {"villageCode": w.village.code, "month": "2023-05", "visits": 1},
        {"villageCode": w.village.code, "month": "2023-06", "visits": 1},
    ]
