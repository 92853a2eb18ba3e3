"""The lianxi/v1 `mediationVisits` array carries the officials, the cases and the outcome, and loads idempotently."""

from __future__ import annotations

import pytest

from models.meetings import MediationVisit
from models.visits import VisitCase, VisitStaff
from server.load import load_document
from server.load.errors import LoadError
from tests.load.documents import VILLAGE, minimal_document


async def test_imported_visits_carry_staff_cases_and_outcome_and_reload_unchanged(orm: str) -> None:
    document = minimal_document()
    document["mediationVisits"].append({"id": "V2", "village": VILLAGE, "at": "2023-06-03T09:00:00+08:00",
                                        "staff": ["P2", "P3"], "cases": ["C1", "C2"], "outcome": "FOLLOW_UP"})
    await load_document(document)
    visit = await MediationVisit.get(ext_id="V2")
    assert visit.outcome == "FOLLOW_UP" and visit.case_id == (await VisitCase.filter(visit=visit).order_by("id").first()).case_id  # type: ignore[attr-defined,union-attr]
    assert sorted(await VisitStaff.filter(visit=visit).values_list("person__ext_id", flat=True)) == ["P2", "P3"]
    assert sorted(await VisitCase.filter(visit=visit).values_list("case__number", flat=True)) == ["C1", "C2"]
    # the single `case` of older documents is a link too
    assert await VisitCase.filter(visit__ext_id="V1").values_list("case__number", flat=True) == ["C1"]

    again = await load_document(document)
    assert again["mediationVisits"].unchanged == 2 and await VisitStaff.all().count() == 2

    document["mediationVisits"][1]["staff"] = ["P3"]
    await load_document(document)
    assert await VisitStaff.filter(visit=visit).values_list("person__ext_id", flat=True) == ["P3"]


async def test_a_visit_naming_an_unknown_official_or_outcome_is_rejected_by_path(orm: str) -> None:
    document = minimal_document()
    document["mediationVisits"][0] |= {"staff": ["P999"], "outcome": "DONE"}
    with pytest.raises(LoadError) as rejected:
        await load_document(document)
    message = str(rejected.value)
    assert "mediationVisits[0].staff[0]" in message and "mediationVisits[0].outcome" in message
    assert await MediationVisit.all().count() == 0
