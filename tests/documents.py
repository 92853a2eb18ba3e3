"""Small lianxi/v1 documents for tests: a county of any size, built the way clients write them."""

from __future__ import annotations

from typing import Any

TOWNSHIP_CODES = [f"522728{n:03d}" for n in (1, 107, 108, 109, 110, 111, 112, 113, 114, 219)]


def county_document(*, townships: int = 1, villages: int = 2, grids: int = 2, households: int = 2) -> dict[str, Any]:
    """A county 522728 with the given fan-out at every level, one person per role, one meeting and case per township."""
    people: list[dict[str, Any]] = [
        {"id": "HEAD", "name": "黄元吉", "phone": "13800000000"},
        {"id": "LEADER", "name": "罗杰", "phone": "13800000001"},
        {"id": "STAFF", "name": "唐盈", "phone": "13800000002"},
    ]
    township_docs: list[dict[str, Any]] = []
    meetings: list[dict[str, Any]] = []
    cases: list[dict[str, Any]] = []
    for t, township_code in enumerate(TOWNSHIP_CODES[:townships]):
        village_docs = []
        for v in range(villages):
            village_code = f"{township_code}{201 + v:03d}"
            grid_docs = []
            for g in range(grids):
                grid_code = f"{village_code}{g + 1:02d}"
                people.append({"id": f"W{grid_code}", "name": f"网格员{g}"})
                group_docs = []
                for h in range(households):
                    group_code = f"{grid_code}{h + 1:02d}"
                    people.append({"id": f"H{group_code}", "name": f"联户长{h}"})
                    group_docs.append({"code": group_code, "head": f"H{group_code}", "households": 8})
                grid_docs.append({"code": grid_code, "name": f"第{g + 1}网格", "worker": f"W{grid_code}", "householdGroups": group_docs})
            people.append({"id": f"L{village_code}", "name": "党小组长"})
            village_docs.append({
                "code": village_code, "name": f"村{t}-{v}", "kind": "VILLAGE", "households": 100, "population": 400, "groups": 3,
                "grids": grid_docs,
                "partyGroups": [{"code": f"{village_code}P1", "name": "第一党小组", "leader": f"L{village_code}"}],
            })
        people += [{"id": f"CC{township_code}", "name": "总召集人"}, {"id": f"CV{township_code}", "name": "召集人"}]
        township_docs.append({
            "code": township_code, "name": f"乡镇{t}", "kind": "TOWN",
            "jointMeeting": {"establishedOn": "2021-11-01", "chiefConvener": f"CC{township_code}", "convener": f"CV{township_code}"},
            "villages": village_docs,
        })
        first_village = f"{township_code}201"
        cases.append({
            "number": f"C{township_code}", "kind": "DISPUTE", "category": "LAND", "channel": "HOME_VISIT",
            "village": first_village, "level": "VILLAGE", "reportedAt": "2023-05-02T10:00:00+08:00", "title": "土地边界纠纷",
            "parties": [{"name": "王小明", "phone": "13912340000", "idNumber": "522728199001011234"}],
            "events": [
                {"type": "ESCALATED", "at": "2023-05-20T09:00:00+08:00", "toLevel": "TOWNSHIP"},
                {"type": "RESOLVED", "at": "2023-06-01T16:00:00+08:00", "outcome": "MEDIATED"},
            ],
        })
        meetings.append({
            "id": f"M{township_code}", "township": township_code, "kind": "THEMATIC", "status": "HELD",
            "heldAt": "2023-05-31T23:30:00+08:00", "title": "第二十五次专题会", "number": 25,
            "attendees": ["LEADER", "STAFF"], "cases": [f"C{township_code}"],
        })
    return {
        "format": "lianxi/v1",
        "people": people,
        "counties": [{
            "code": "522728", "name": "罗甸县", "timezone": "Asia/Shanghai",
            "bureau": [
                {"person": "HEAD", "role": "BUREAU_HEAD"},
                {"person": "LEADER", "role": "BUREAU_LEADER"},
                {"person": "STAFF", "role": "BUREAU_STAFF"},
            ],
            "townships": township_docs,
            "supervision": [
                {"leader": "LEADER", "township": code, "from": "2023-01-01", "to": "2023-12-31"}
                for code in TOWNSHIP_CODES[:townships]
            ],
        }],
        "meetings": meetings,
        "cases": cases,
    }
