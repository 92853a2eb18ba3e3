"""Evidence as auditors read it: database ids replaced by natural keys, so it reads (and digests) the same on every database.

The engine's evidence (rules.rulesets) carries row ids for its own use; a report shows meetings by
their lianxi/v1 id (`ext_id`), people by id and name, and drops row ids that mean nothing
outside one database (`case_id`, `id` next to an `ext_id`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

PersonRef = dict[str, str]

PERSON_KEYS = {"assignee_id": "assignee", "approver_id": "approver"}
PEOPLE_KEYS = {
    "covering_leader_ids": "covering_leaders",
    "assigned_leader_ids": "assigned_leaders",
    "assigned_leader_ids_last_day": "assigned_leaders_last_day",
    "holder_ids": "holders",
}
MEETING_KEYS = {"supervised_meeting_ids": "supervised_meetings"}
DROPPED = frozenset({"case_id", "alert_id"})


def person_ids(evidence: Mapping[str, Any]) -> set[int]:
    """Every person id an evidence record mentions (to look their names up in one query)."""
    found: set[int] = set()
    for key, value in evidence.items():
        if key in PERSON_KEYS and isinstance(value, int):
            found.add(value)
        elif key in PEOPLE_KEYS and isinstance(value, list):
            found |= {v for v in value if isinstance(v, int)}
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping):
                    found |= person_ids(item)
    return found


def _meeting_ext_ids(evidence: Mapping[str, Any]) -> dict[int, str]:
    ids: dict[int, str] = {}
    for value in evidence.values():
        if isinstance(value, list):
            ids |= {m["id"]: m["ext_id"] for m in value if isinstance(m, Mapping) and "id" in m and "ext_id" in m}
    return ids


def _person(people: Mapping[int, PersonRef], person_id: int | None) -> PersonRef | None:
    if person_id is None:
        return None
    return people.get(person_id, {"ext_id": f"#{person_id}", "name": "?"})


def normalise(evidence: Mapping[str, Any], people: Mapping[int, PersonRef], meetings: Mapping[int, str] | None = None) -> dict[str, Any]:
    """A copy of the evidence with natural keys instead of row ids (recursively, for meetings and attendees)."""
    meeting_ids = {**(meetings or {}), **_meeting_ext_ids(evidence)}
    result: dict[str, Any] = {}
    for key, value in evidence.items():
        if key in DROPPED or (key == "id" and "ext_id" in evidence):
            continue
        if key in PERSON_KEYS:
            result[PERSON_KEYS[key]] = _person(people, value)
        elif key in PEOPLE_KEYS:
            result[PEOPLE_KEYS[key]] = sorted(
                (_person(people, v) for v in value or ()), key=lambda p: p["ext_id"] if p else ""
            )
        elif key in MEETING_KEYS:
            result[MEETING_KEYS[key]] = sorted(meeting_ids.get(v, f"#{v}") for v in value or ())
        elif isinstance(value, list):
            result[key] = [normalise(v, people, meeting_ids) if isinstance(v, Mapping) else v for v in value]
        elif isinstance(value, Mapping):
            result[key] = normalise(value, people, meeting_ids)
        else:
            result[key] = value
    if "attendees" in result:
        result["attendees"] = sorted(result["attendees"], key=lambda p: p.get("ext_id", ""))
    return result


def all_person_ids(evidences: Iterable[Mapping[str, Any]]) -> set[int]:
    """The union of `person_ids` over many evidence records."""
    found: set[int] = set()
    for evidence in evidences:
        found |= person_ids(evidence)
    return found
