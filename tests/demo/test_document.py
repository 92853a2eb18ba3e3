"""The demo document: deterministic, exactly the seed figures, well-formed codes, references and timelines."""

from __future__ import annotations

import copy
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from models.enums import CaseCategory, CaseChannel, CaseEventType, CaseKind, CaseLevel, CaseOutcome
from server.demo import plan
from core.statistics import SEED_FIGURES, document_figures
from server.demo.generate import build_luodian_2023
from server.demo.names import chinese_numeral, gb11643_check_digit, id_number_valid

TZ = ZoneInfo("Asia/Shanghai")
EXPECTED = {key: seed.value for key, seed in SEED_FIGURES.items()}


def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(TZ)


def _county(document: dict[str, Any]) -> dict[str, Any]:
    return document["counties"][0]


def _villages(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for t in _county(document)["townships"] for v in t["villages"]]


def test_two_builds_are_byte_identical() -> None:
    assert orjson.dumps(build_luodian_2023()) == orjson.dumps(build_luodian_2023())


def test_every_seed_figure_is_reproduced_in_the_document(document: dict[str, Any]) -> None:
    assert document_figures(document) == EXPECTED


def test_counting_in_utc_instead_of_local_time_gets_figures_wrong(document: dict[str, Any]) -> None:
    shifted = copy.deepcopy(document)
    shifted["counties"][0]["timezone"] = "UTC"
    wrong = document_figures(shifted)
    # two disputes and one visit sit in the first hours of 2023 / 2024 local time, on purpose
    assert wrong["disputes_collected"] == EXPECTED["disputes_collected"] - 1
    assert wrong["mediation_visits"] == EXPECTED["mediation_visits"] + 1


def test_only_the_documented_keys_are_used(either_document: dict[str, Any]) -> None:
    document = either_document
    allowed = {
        "": {"format", "people", "counties", "meetings", "cases", "mediationVisits"},
        "people": {"id", "name", "phone"},
        "county": {"code", "name", "timezone", "supervisedFrom", "bureau", "townships", "supervision"},
        "bureau": {"person", "role", "from", "to"},
        "township": {"code", "name", "kind", "jointMeeting", "villages"},
        "jointMeeting": {"establishedOn", "chiefConvener", "convener"},
        "village": {"code", "name", "kind", "households", "population", "groups", "grids", "partyGroups"},
        "grid": {"code", "name", "worker", "householdGroups"},
        "householdGroup": {"code", "head", "households"},
        "partyGroup": {"code", "name", "leader"},
        "supervision": {"leader", "township", "from", "to"},
        "meeting": {"id", "township", "kind", "status", "heldAt", "title", "attendees", "cases", "number"},
        "case": {"number", "kind", "category", "channel", "village", "level", "reportedAt", "title", "parties", "events"},
        "party": {"name", "phone", "idNumber"},
        "event": {"type", "at", "toLevel", "days", "approver", "outcome", "note"},
        "visit": {"id", "village", "at", "case", "note"},
    }

    def check(kind: str, items: list[dict[str, Any]]) -> None:
        for item in items:
            assert set(item) <= allowed[kind], (kind, set(item) - allowed[kind])

    check("", [document])
    check("people", document["people"])
    county = _county(document)
    check("county", [county])
    check("bureau", county["bureau"])
    check("supervision", county["supervision"])
    check("township", county["townships"])
    check("jointMeeting", [t["jointMeeting"] for t in county["townships"]])
    check("village", _villages(document))
    check("grid", [g for v in _villages(document) for g in v["grids"]])
    check("householdGroup", [h for v in _villages(document) for g in v["grids"] for h in g["householdGroups"]])
    check("partyGroup", [p for v in _villages(document) for p in v["partyGroups"]])
    check("meeting", document["meetings"])
    check("case", document["cases"])
    check("party", [p for c in document["cases"] for p in c["parties"]])
    check("event", [e for c in document["cases"] for e in c["events"]])
    check("visit", document["mediationVisits"])


def test_codes_are_well_formed_unique_and_extend_their_parent(either_document: dict[str, Any]) -> None:
    document = either_document
    county = _county(document)
    assert county["code"] == "522728" and county["name"] == "罗甸县"
    assert [(t["code"], t["name"], t["kind"]) for t in county["townships"]] == [
        (p.code, p.name, p.kind) for p in plan.TOWNSHIPS
    ]
    seen: set[str] = set()
    for township in county["townships"]:
        assert re.fullmatch(r"522728\d{3}", township["code"])
        assert township["jointMeeting"]["establishedOn"] == "2021-11-01"
        for village in township["villages"]:
            assert re.fullmatch(re.escape(township["code"]) + r"\d{3}", village["code"])
            assert village["kind"] in ("VILLAGE", "COMMUNITY")
            assert village["name"].endswith("社区" if village["kind"] == "COMMUNITY" else "村")
            for grid in village["grids"]:
                assert re.fullmatch(re.escape(village["code"]) + r"\d{2}", grid["code"])
                for group in grid["householdGroups"]:
                    assert re.fullmatch(re.escape(grid["code"]) + r"\d{2}", group["code"])
                    assert 5 <= group["households"] <= 15
                    seen.add(group["code"])
                seen.add(grid["code"])
            for n, party_group in enumerate(village["partyGroups"], start=1):
                assert party_group["code"] == f"{village['code']}P{n}"
                seen.add(party_group["code"])
            assert village["households"] == sum(h["households"] for g in village["grids"] for h in g["householdGroups"])
            seen.add(village["code"])
    assert len(seen) == 186 + 1244 + 6977 + 835
    assert len({v["name"] for v in _villages(document)}) == 186


def test_jiangting_village_matches_the_seed(document: dict[str, Any]) -> None:
    township = next(t for t in _county(document)["townships"] if t["name"] == "沫阳镇")
    jiangting = [v for v in township["villages"] if v["name"] == "江亭村"]
    assert len(jiangting) == 1
    village = jiangting[0]
    assert (village["kind"], village["groups"], village["households"], village["population"]) == ("VILLAGE", 9, 444, 1929)
    assert village["code"].startswith("522728109")


def test_people_are_distinct_and_every_reference_resolves(either_document: dict[str, Any]) -> None:
    document = either_document
    ids = [p["id"] for p in document["people"]]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"P\d{5}", i) for i in ids)
    phones = [p["phone"] for p in document["people"]]
    assert len(phones) == len(set(phones)) and all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)
    known = set(ids)
    county = _county(document)
    refs = [b["person"] for b in county["bureau"]] + [s["leader"] for s in county["supervision"]]
    for township in county["townships"]:
        refs += [township["jointMeeting"]["chiefConvener"], township["jointMeeting"]["convener"]]
    for village in _villages(document):
        refs += [g["worker"] for g in village["grids"]] + [p["leader"] for p in village["partyGroups"]]
        refs += [h["head"] for g in village["grids"] for h in g["householdGroups"]]
    refs += [a for m in document["meetings"] for a in m["attendees"]]
    refs += [e["approver"] for c in document["cases"] for e in c["events"] if "approver" in e]
    assert set(refs) <= known
    numbers = {c["number"] for c in document["cases"]}
    assert len(numbers) == len(document["cases"])
    assert {n for m in document["meetings"] for n in m["cases"]} <= numbers
    assert {v["case"] for v in document["mediationVisits"] if "case" in v} <= numbers
    village_codes = {v["code"] for v in _villages(document)}
    assert {c["village"] for c in document["cases"]} <= village_codes
    assert {v["village"] for v in document["mediationVisits"]} <= village_codes
    assert {m["township"] for m in document["meetings"]} <= {p.code for p in plan.TOWNSHIPS}


def test_bureau_head_is_huang_yuanji_with_leaders_and_staff(document: dict[str, Any]) -> None:
    people = {p["id"]: p["name"] for p in document["people"]}
    bureau = _county(document)["bureau"]
    roles = Counter(b["role"] for b in bureau)
    assert [people[b["person"]] for b in bureau if b["role"] == "BUREAU_HEAD"] == ["黄元吉"]
    assert roles["BUREAU_LEADER"] == 4 and roles["BUREAU_STAFF"] == 5


def test_id_numbers_have_valid_check_digits(either_document: dict[str, Any]) -> None:
    document = either_document
    parties = [p for c in document["cases"] for p in c["parties"]]
    assert parties and all(id_number_valid(p["idNumber"]) and p["idNumber"].startswith("522728") for p in parties)
    assert gb11643_check_digit("11010519491231002") == "X"  # the standard's worked example
    assert not id_number_valid("522728199001011230")


def test_meetings_are_numbered_per_township_and_kind_in_time_order(either_document: dict[str, Any]) -> None:
    document = either_document
    series: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for meeting in document["meetings"]:
        assert meeting["heldAt"].endswith("+08:00")
        series[(meeting["township"], meeting["kind"])].append(meeting)
    for (township, kind), meetings in series.items():
        meetings.sort(key=lambda m: _local(m["heldAt"]))
        numbers = [m["number"] for m in meetings]
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        name = plan.TOWNSHIP_BY_CODE[township].name
        for m in meetings:
            label = "专题会" if kind == "THEMATIC" else "全体会"
            assert m["title"].startswith(f"{name}信访工作联席会议第{chinese_numeral(m['number'])}次{label}")
    moyang = [m for m in series[("522728109", "THEMATIC")] if m["status"] == "HELD"]
    twenty_fifth = next(m for m in moyang if m["number"] == 25)
    assert twenty_fifth["title"] == "沫阳镇信访工作联席会议第二十五次专题会"
    assert _local(twenty_fifth["heldAt"]).month == 12
    assert chinese_numeral(10) == "十" and chinese_numeral(21) == "二十一" and chinese_numeral(105) == "一百零五"


def test_non_held_meetings_exist_but_are_not_counted(document: dict[str, Any]) -> None:
    statuses = Counter(m["status"] for m in document["meetings"])
    assert statuses["HELD"] == 247 and statuses["CANCELLED"] >= 1 and statuses["SCHEDULED"] >= 1
    assert any(m["cases"] for m in document["meetings"] if m["status"] != "HELD")


def test_case_timelines_are_ordered_valid_and_within_2023(document: dict[str, Any]) -> None:
    as_of = datetime(2024, 1, 1, tzinfo=TZ)
    for case in document["cases"]:
        assert case["kind"] in CaseKind.__members__ and case["category"] in CaseCategory.__members__
        assert case["channel"] in CaseChannel.__members__ and case["level"] in CaseLevel.__members__
        reported = _local(case["reportedAt"])
        times = [_local(e["at"]) for e in case["events"]]
        assert times == sorted(times) and all(t > reported for t in times) and all(t < as_of for t in times)
        for event in case["events"]:
            assert event["type"] in CaseEventType.__members__
            assert ("outcome" in event) == (event["type"] == "RESOLVED")
            if "outcome" in event:
                assert event["outcome"] in CaseOutcome.__members__
            assert ("toLevel" in event) == (event["type"] == "ESCALATED")
            if event["type"] == "EXTENDED":
                assert 1 <= event["days"] <= 30 and event["approver"] == plan.BUREAU_HEAD[0]
    disputes = [c for c in document["cases"] if c["kind"] == "DISPUTE" and _local(c["reportedAt"]).year == 2023]
    assert all(c["events"] for c in disputes)
    online = sum(1 for c in disputes if c["channel"] in ("HOUSEHOLD_CHAT", "ONLINE"))
    assert 0 < online < len(disputes)
    petitions = [c for c in document["cases"] if c["kind"] == "PETITION" and _local(c["reportedAt"]).year == 2023]
    assert len(petitions) == 40
    assert sum(1 for c in petitions for e in c["events"] if e["type"] == "EXTENDED") == 1


def test_discussed_cases_belong_to_the_meeting_township_and_were_reported_before(either_document: dict[str, Any]) -> None:
    document = either_document
    cases = {c["number"]: c for c in document["cases"]}
    for meeting in document["meetings"]:
        for number in meeting["cases"]:
            case = cases[number]
            assert case["village"].startswith(meeting["township"])
            assert _local(case["reportedAt"]) < _local(meeting["heldAt"])


def test_supervision_has_one_leader_per_township_every_day_and_one_rotation(document: dict[str, Any]) -> None:
    entries = _county(document)["supervision"]
    day = date(2023, 1, 1)
    while day.year == 2023:
        per_township = Counter()
        per_leader = Counter()
        for e in entries:
            if date.fromisoformat(e["from"]) <= day and ("to" not in e or day <= date.fromisoformat(e["to"])):
                per_township[e["township"]] += 1
                per_leader[e["leader"]] += 1
        assert sorted(per_township) == sorted(p.code for p in plan.TOWNSHIPS) and set(per_township.values()) == {1}
        assert set(per_leader.values()) <= {2, 3}
        day = date.fromordinal(day.toordinal() + 1)
    assert {e["to"] for e in entries if "to" in e} == {"2023-08-15"}


def _findings_in(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """A small independent oracle of the cadence and supervision rules (as of 2024-01-01)."""
    county = _county(document)
    bureau = {b["person"]: b for b in county["bureau"]}

    def role(person: str, day: date) -> str | None:
        entry = bureau.get(person)
        if entry is None or ("from" in entry and day < date.fromisoformat(entry["from"])):
            return None
        return None if "to" in entry and day > date.fromisoformat(entry["to"]) else entry["role"]

    def assigned(township: str, month: int) -> set[str]:
        first, last = date(2023, month, 1), date(2023 + month // 12, month % 12 + 1, 1)
        return {e["leader"] for e in county["supervision"] if e["township"] == township
                and date.fromisoformat(e["from"]) < last and ("to" not in e or date.fromisoformat(e["to"]) >= first)}

    held = [m for m in document["meetings"] if m["status"] == "HELD" and _local(m["heldAt"]).year == 2023]
    findings = []
    for township in county["townships"]:
        code = township["code"]
        mine = [m for m in held if m["township"] == code]
        for month in range(1, 13):
            thematic = [m for m in mine if m["kind"] == "THEMATIC" and _local(m["heldAt"]).month == month]
            if len(thematic) < 2:
                findings.append(("cadence.thematic_monthly", code, f"2023-{month:02d}"))
            covering = []
            for m in thematic:
                day = _local(m["heldAt"]).date()
                roles = {p: role(p, day) for p in m["attendees"]}
                leaders = {p for p, r in roles.items() if r in ("BUREAU_LEADER", "BUREAU_HEAD")}
                if leaders and "BUREAU_STAFF" in roles.values():
                    covering.append(leaders)
            if not covering:
                findings.append(("supervision.monthly_coverage", code, f"2023-{month:02d}"))
            elif not any(leaders & assigned(code, month) for leaders in covering):
                findings.append(("supervision.assigned_leader", code, f"2023-{month:02d}"))
        for quarter in range(1, 5):
            if not any(m["kind"] == "PLENARY" and (_local(m["heldAt"]).month - 1) // 3 + 1 == quarter for m in mine):
                findings.append(("cadence.plenary_quarterly", code, f"2023-Q{quarter}"))
    return sorted(findings)


def test_the_plan_s_gaps_show_in_the_document(document: dict[str, Any]) -> None:
    findings = _findings_in(document)
    assert findings == plan.expected_period_findings()
    counts = Counter(rule for rule, _, _ in findings)
    assert counts == {"cadence.thematic_monthly": 16, "cadence.plenary_quarterly": 15,
                      "supervision.monthly_coverage": 5, "supervision.assigned_leader": 2}
