"""Small lianxi/v1 documents for the import tests: one county, just enough of everything."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

COUNTY = "522728"
TOWNSHIP = "522728109"  # 沫阳镇
VILLAGE = "522728109201"  # 江亭村
GRID = VILLAGE + "01"
HOUSEHOLD_GROUP = GRID + "01"
PARTY_GROUP = VILLAGE + "P1"

_MINIMAL: dict[str, Any] = {
    "format": "lianxi/v1",
    "people": [
        {"id": "P1", "name": "黄元吉", "phone": "13800000001"},
        {"id": "P2", "name": "王局", "phone": "13800000002"},
        {"id": "P3", "name": "李干事"},
        {"id": "P10", "name": "陈书记"},
        {"id": "P11", "name": "张委员"},
        {"id": "P20", "name": "网格员甲"},
        {"id": "P30", "name": "联户长乙"},
        {"id": "P40", "name": "党小组长丙"},
    ],
    "counties": [
        {
            "code": COUNTY,
            "name": "罗甸县",
            "timezone": "Asia/Shanghai",
            "bureau": [
                {"person": "P1", "role": "BUREAU_HEAD"},
                {"person": "P2", "role": "BUREAU_LEADER", "from": "2023-01-01"},
                {"person": "P3", "role": "BUREAU_STAFF"},
            ],
            "townships": [
                {
                    "code": TOWNSHIP,
                    "name": "沫阳镇",
                    "kind": "TOWN",
                    "jointMeeting": {"establishedOn": "2021-11-01", "chiefConvener": "P10", "convener": "P11"},
                    "villages": [
                        {
                            "code": VILLAGE,
                            "name": "江亭村",
                            "kind": "VILLAGE",
                            "households": 444,
                            "population": 1929,
                            "groups": 9,
                            "grids": [
                                {
                                    "code": GRID,
                                    "name": "第一网格",
                                    "worker": "P20",
                                    "householdGroups": [{"code": HOUSEHOLD_GROUP, "head": "P30", "households": 7}],
                                }
                            ],
                            "partyGroups": [{"code": PARTY_GROUP, "name": "第一党小组", "leader": "P40"}],
                        }
                    ],
                }
            ],
            "supervision": [{"leader": "P2", "township": TOWNSHIP, "from": "2023-01-01", "to": "2023-12-31"}],
        }
    ],
    "meetings": [
        {
            "id": "M1",
            "township": TOWNSHIP,
            "kind": "THEMATIC",
            "status": "HELD",
            "heldAt": "2023-05-31T23:30:00+08:00",
            "title": "第二十五次专题会",
            "number": 25,
            "attendees": ["P2", "P3", "P10"],
            "cases": ["C1"],
        }
    ],
    "cases": [
        {
            "number": "C1",
            "kind": "DISPUTE",
            "category": "LAND",
            "channel": "HOME_VISIT",
            "village": VILLAGE,
            "level": "VILLAGE",
            "reportedAt": "2023-05-02T10:00:00+08:00",
            "title": "土地边界纠纷",
            "parties": [{"name": "甲某", "phone": "13900000000", "idNumber": "52272819800101001X"}],
            "events": [
                {"type": "ESCALATED", "at": "2023-05-20T09:00:00+08:00", "toLevel": "TOWNSHIP"},
                {"type": "RESOLVED", "at": "2023-06-01T16:00:00+08:00", "outcome": "MEDIATED"},
            ],
        },
        {
            "number": "C2",
            "kind": "PETITION",
            "category": "POLICY",
            "channel": "WALK_IN",
            "village": VILLAGE,
            "level": "TOWNSHIP",
            "reportedAt": "2023-06-05T09:00:00+08:00",
            "title": "政策咨询",
            "parties": [{"name": "乙某"}],
            "events": [
                {"type": "ACCEPTED", "at": "2023-06-10T09:00:00+08:00"},
                {"type": "EXTENDED", "at": "2023-08-01T09:00:00+08:00", "days": 20, "approver": "P1"},
            ],
        },
    ],
    "mediationVisits": [{"id": "V1", "village": VILLAGE, "at": "2023-05-15T10:00:00+08:00", "case": "C1"}],
}


def minimal_document() -> dict[str, Any]:
    """A fresh copy of a small valid document (tests mutate it to make it bad)."""
    return copy.deepcopy(_MINIMAL)


def write_document(path: Path, document: dict[str, Any]) -> Path:
    """Write a document as UTF-8 JSON, the way `lianxi load` reads it."""
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
