"""A document with any bad value is refused whole: every problem names its JSON path, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from models.cases import CaseEvent
from server.load import LoadError, load_document
from tests.load.documents import VILLAGE, minimal_document
from tests.load.rows import row_counts

Doc = dict[str, Any]


def _township(doc: Doc) -> Doc:
    return doc["counties"][0]["townships"][0]


def _village(doc: Doc) -> Doc:
    return _township(doc)["villages"][0]


def _set(path: Callable[[Doc], Doc], key: str, value: Any) -> Callable[[Doc], None]:
    return lambda doc: path(doc).__setitem__(key, value)


def _case(index: int) -> Callable[[Doc], Doc]:
    return lambda doc: doc["cases"][index]


def _event(case: int, index: int) -> Callable[[Doc], Doc]:
    return lambda doc: doc["cases"][case]["events"][index]


BAD_DOCUMENTS: dict[str, tuple[Callable[[Doc], None], str, str]] = {
    "wrong format": (_set(lambda d: d, "format", "lianxi/v2"), "format", "lianxi/v1"),
    "township code outside its county": (
        _set(_township, "code", "522729109"), "counties[0].townships[0].code", "starting with its parent's code 522728"
    ),
    "township code too short": (_set(_township, "code", "52272810"), "counties[0].townships[0].code", "9 digits"),
    "grid code not extending its village": (
        lambda d: _village(d)["grids"][0].__setitem__("code", "52272810920201"),
        "counties[0].townships[0].villages[0].grids[0].code", "its village code + 2 digits",
    ),
    "party group code shape": (
        lambda d: _village(d)["partyGroups"][0].__setitem__("code", VILLAGE + "X1"),
        "counties[0].townships[0].villages[0].partyGroups[0].code", "P + digits",
    ),
    "negative households": (
        _set(_village, "households", -1), "counties[0].townships[0].villages[0].households", "≥ 0"
    ),
    "unknown township kind": (_set(_township, "kind", "CITY"), "counties[0].townships[0].kind", "not a valid TownshipKind"),
    "staff role outside the bureau": (
        lambda d: d["counties"][0]["bureau"][2].__setitem__("role", "GRID_WORKER"),
        "counties[0].bureau[2].role", "not a bureau role",
    ),
    "naive datetime": (
        _set(_event(0, 0), "at", "2023-05-20T09:00:00"), "cases[0].events[0].at", "no UTC offset"
    ),
    "date in the wrong shape": (
        lambda d: d["counties"][0]["supervision"][0].__setitem__("from", "2023/01/01"),
        "counties[0].supervision[0].from", "YYYY-MM-DD",
    ),
    "extension of 31 days": (_set(_event(1, 1), "days", 31), "cases[1].events[1].days", "at most 30 are allowed"),
    "extensions adding up past 30 days": (
        lambda d: d["cases"][1]["events"].append(
            {"type": "EXTENDED", "at": "2023-08-02T09:00:00+08:00", "days": 11, "approver": "P1"}
        ),
        "cases[1].events[2].days", "total 31 days",
    ),
    "extension of a dispute": (
        lambda d: d["cases"][0]["events"].insert(
            1, {"type": "EXTENDED", "at": "2023-05-21T09:00:00+08:00", "days": 5, "approver": "P1"}
        ),
        "cases[0].events[1].type", "only to an accepted petition",
    ),
    "event before the report": (
        _set(_event(0, 0), "at", "2023-05-01T09:00:00+08:00"), "cases[0].events[0].at", "before the case was reported"
    ),
    "events out of order": (
        _set(_event(0, 1), "at", "2023-05-19T09:00:00+08:00"), "cases[0].events[1].at", "time order"
    ),
    "escalation that does not go up": (
        _set(_event(0, 0), "toLevel", "VILLAGE"), "cases[0].events[0].type", "not above the current level VILLAGE"
    ),
    "resolution without outcome": (
        lambda d: _event(0, 1)(d).pop("outcome"), "cases[0].events[1].outcome", "is required"
    ),
    "event after closing": (
        lambda d: d["cases"][0]["events"].extend([
            {"type": "CLOSED", "at": "2023-06-02T10:00:00+08:00"},
            {"type": "ESCALATED", "at": "2023-06-03T10:00:00+08:00", "toLevel": "COUNTY"},
        ]),
        "cases[0].events[3].type", "only REOPENED may follow CLOSED",
    ),
    "unknown attendee": (
        lambda d: d["meetings"][0]["attendees"].append("P99"), "meetings[0].attendees[3]", "unknown person 'P99'"
    ),
    "unknown approver": (_set(_event(1, 1), "approver", "P99"), "cases[1].events[1].approver", "unknown person 'P99'"),
    "unknown grid worker": (
        lambda d: _village(d)["grids"][0].__setitem__("worker", "P98"),
        "counties[0].townships[0].villages[0].grids[0].worker", "unknown person 'P98'",
    ),
    "unknown case on a meeting": (
        lambda d: d["meetings"][0]["cases"].append("C9"), "meetings[0].cases[1]", "unknown case 'C9'"
    ),
    "unknown village of a case": (_set(_case(0), "village", "522728109299"), "cases[0].village", "unknown village"),
    "unknown key (a typo)": (
        lambda d: _village(d).__setitem__("houshold", 3), "counties[0].townships[0].villages[0].houshold", "unknown key"
    ),
    "duplicate person id": (
        lambda d: d["people"].append({"id": "P3", "name": "重复"}), "people[8].id", "duplicate person id 'P3'"
    ),
    "duplicate meeting number": (
        lambda d: d["meetings"].append({**d["meetings"][0], "id": "M2", "cases": []}),
        "meetings[1].number", "duplicate meeting number",
    ),
    "supervision by a staff member": (
        lambda d: d["counties"][0]["supervision"][0].__setitem__("leader", "P3"),
        "counties[0].supervision[0].leader", "not a BUREAU_LEADER or BUREAU_HEAD",
    ),
    "overlapping supervision": (
        lambda d: d["counties"][0]["supervision"].append(
            {"leader": "P2", "township": "522728109", "from": "2023-06-01"}
        ),
        "counties[0].supervision[1]", "overlaps",
    ),
    "supervision ending before it starts": (
        lambda d: d["counties"][0]["supervision"][0].__setitem__("to", "2022-12-31"),
        "counties[0].supervision[0].to", "before it starts",
    ),
    "id number too long": (
        lambda d: d["cases"][0]["parties"][0].__setitem__("idNumber", "5227281980010100123"),
        "cases[0].parties[0].idNumber", "at most 18",
    ),
}


@pytest.mark.parametrize("mutate, path, message", BAD_DOCUMENTS.values(), ids=BAD_DOCUMENTS.keys())
async def test_a_bad_value_is_refused_with_its_path_and_nothing_is_written(
    orm: str, mutate: Callable[[Doc], None], path: str, message: str
) -> None:
    document = minimal_document()
    mutate(document)

    with pytest.raises(LoadError) as refused:
        await load_document(document)

    found = {problem.path: problem.message for problem in refused.value.problems}
    assert path in found, str(refused.value)
    assert message in found[path]
    assert f"{path}: " in str(refused.value)
    assert set((await row_counts()).values()) == {0}


async def test_every_problem_is_reported_at_once(orm: str) -> None:
    document = minimal_document()
    _township(document)["code"] = "52272810"
    document["cases"][0]["events"][0]["at"] = "2023-05-20T09:00:00"
    document["meetings"][0]["attendees"].append("P99")

    with pytest.raises(LoadError) as refused:
        await load_document(document)

    paths = [problem.path for problem in refused.value.problems]
    assert {"counties[0].townships[0].code", "cases[0].events[0].at", "meetings[0].attendees[3]"} <= set(paths)


async def test_a_document_that_rewrites_stored_events_is_refused_and_the_database_keeps_its_state(orm: str) -> None:
    await load_document(minimal_document())
    before = await row_counts()
    rewritten = minimal_document()
    rewritten["cases"][0]["events"][1]["outcome"] = "FAILED"
    rewritten["people"].append({"id": "P50", "name": "新人"})

    with pytest.raises(LoadError) as refused:
        await load_document(rewritten)

    assert [p.path for p in refused.value.problems] == ["cases[0].events[1]"]
    assert "append-only" in refused.value.problems[0].message
    assert await row_counts() == before
    assert await CaseEvent.filter(case__number="C1", outcome="MEDIATED").exists()


async def test_a_document_that_drops_stored_events_is_refused(orm: str) -> None:
    await load_document(minimal_document())
    shorter = minimal_document()
    shorter["cases"][0]["events"].pop()

    with pytest.raises(LoadError) as refused:
        await load_document(shorter)

    assert refused.value.problems[0].path == "cases[0].events"
    assert "cannot be removed" in refused.value.problems[0].message


async def test_a_meeting_number_taken_by_a_stored_meeting_is_refused(orm: str) -> None:
    await load_document(minimal_document())
    clash = minimal_document()
    clash["meetings"] = [{**clash["meetings"][0], "id": "M9", "cases": []}]

    with pytest.raises(LoadError) as refused:
        await load_document(clash)

    assert refused.value.problems[0].path == "meetings[0].number"
    assert "'M1'" in refused.value.problems[0].message


async def test_references_to_rows_already_stored_are_accepted(orm: str) -> None:
    await load_document(minimal_document())
    follow_up = {
        "format": "lianxi/v1",
        "cases": [{
            "number": "C3", "kind": "DISPUTE", "category": "NEIGHBOUR", "channel": "HOUSEHOLD_CHAT",
            "village": VILLAGE, "level": "VILLAGE", "reportedAt": "2023-07-01T08:00:00+08:00", "title": "邻里纠纷",
        }],
        "meetings": [{
            "id": "M2", "township": "522728109", "kind": "THEMATIC", "heldAt": "2023-07-14T09:00:00+08:00",
            "attendees": ["P2", "P3"], "cases": ["C1", "C3"],
        }],
    }

    summary = await load_document(follow_up)

    assert (summary["cases"].created, summary["meetings"].created) == (1, 1)
    assert summary["people"].unchanged == 0  # a partial document leaves the rest alone


async def test_a_document_with_very_many_problems_lists_the_first_hundred(orm: str) -> None:
    document = minimal_document()
    document["people"] += [{"id": f"X{n}", "name": ""} for n in range(150)]

    with pytest.raises(LoadError) as refused:
        await load_document(document)

    problems = refused.value.problems
    assert len(problems) == 101
    assert problems[0].path == "people[8].name"
    assert "more problems not shown" in problems[-1].message


async def test_two_bureau_heads_at_once_are_refused_by_the_roster_invariant(orm: str) -> None:
    """DESIGN §1: one holder of a single-holder role per day, held by the database; the import says so plainly."""
    document = minimal_document()
    document["counties"][0]["bureau"].append({"person": "P2", "role": "BUREAU_HEAD", "from": "2023-01-01"})

    with pytest.raises(LoadError) as refused:
        await load_document(document)

    assert "single-holder role" in str(refused.value)
    assert set((await row_counts()).values()) == {0}
