"""Case deadlines: Civil Code counting in county time, extensions, acceptance and village escalation."""

from __future__ import annotations

from datetime import timedelta

from models.enums import CaseEventType, CaseKind, CaseLevel, CaseOutcome
from rules.config import parse_rules_config
from tests.rules import factories as f
from tests.rules.helpers import alerts, check, found

OVERDUE = "case.overdue"
ACCEPTANCE = "case.acceptance_overdue"
VILLAGE = "case.village_escalation"
SECOND = timedelta(seconds=1)


async def test_a_dispute_reported_05_02_is_due_at_24_00_on_06_01(orm: str) -> None:
    w = await f.world()
    dispute = await f.case(w.village, f.local(2023, 5, 2, 10), level=CaseLevel.TOWNSHIP, number="JF-1")
    due = f.local(2023, 6, 2)
    assert found(await check(due - SECOND, write=False), OVERDUE) == []
    result = await check(due + SECOND)
    assert found(result, OVERDUE) == [("JF-1", None)]
    alert = (await alerts(OVERDUE))[f"{OVERDUE}|JF-1"]
    assert alert.evidence["due_at"] == "2023-06-02T00:00:00+08:00"
    assert alert.evidence["case_number"] == dispute.number and alert.period is None
    assert alert.evidence["parameters"]["D"] == 30
    assert alert.assignee_id == w.leader.id and alert.township_id == w.township.id


async def test_a_resolved_dispute_is_never_overdue(orm: str) -> None:
    w = await f.world()
    await f.case(
        w.village,
        f.local(2023, 5, 2, 10),
        events=[(CaseEventType.RESOLVED, f.local(2023, 5, 20), {"outcome": CaseOutcome.MEDIATED})],
    )
    assert found(await check(f.local(2023, 8, 1), write=False), OVERDUE) == []


async def test_an_event_after_the_as_of_is_not_known_yet(orm: str) -> None:
    w = await f.world()
    await f.case(
        w.village,
        f.local(2023, 5, 2, 10),
        number="JF-2",
        level=CaseLevel.TOWNSHIP,
        events=[(CaseEventType.RESOLVED, f.local(2023, 7, 1), {"outcome": CaseOutcome.MEDIATED})],
    )
    assert found(await check(f.local(2023, 6, 10), write=False), OVERDUE) == [("JF-2", None)]
    assert found(await check(f.local(2023, 7, 2), write=False), OVERDUE) == []


async def test_a_petition_is_due_60_days_after_acceptance_plus_its_approved_extension(orm: str) -> None:
    w = await f.world()
    await f.case(
        w.village,
        f.local(2023, 5, 2, 10),
        kind=CaseKind.PETITION,
        level=CaseLevel.TOWNSHIP,
        number="XF-1",
        events=[
            (CaseEventType.ACCEPTED, f.local(2023, 5, 5, 9), {}),
            (CaseEventType.EXTENDED, f.local(2023, 6, 30, 9), {"days": 20, "approver": w.head}),
        ],
    )
    due = f.local(2023, 7, 25)  # 05-05 + 80 days → last day 07-24
    assert found(await check(due - SECOND, write=False), OVERDUE) == []
    result = await check(due + SECOND)
    assert found(result, OVERDUE) == [("XF-1", None)]
    evidence = (await alerts(OVERDUE))[f"{OVERDUE}|XF-1"].evidence
    assert evidence["extension_days"] == 20 and evidence["handling_days"] == 80
    assert evidence["extensions"][0]["approver_id"] == w.head.id


async def test_extensions_beyond_30_days_are_capped(orm: str) -> None:
    w = await f.world()
    await f.case(
        w.village,
        f.local(2023, 5, 2, 10),
        kind=CaseKind.PETITION,
        number="XF-2",
        events=[
            (CaseEventType.ACCEPTED, f.local(2023, 5, 5, 9), {}),
            (CaseEventType.EXTENDED, f.local(2023, 6, 30, 9), {"days": 20, "approver": w.head}),
            (CaseEventType.EXTENDED, f.local(2023, 7, 20, 9), {"days": 20, "approver": w.head}),
        ],
    )
    due = f.local(2023, 8, 4)  # 05-05 + 90 days → last day 08-03
    assert found(await check(due - SECOND, write=False), OVERDUE) == []
    result = await check(due + SECOND, write=False)
    assert found(result, OVERDUE) == [("XF-2", None)]
    (finding,) = [x for x in result.findings if x["ruleId"] == OVERDUE]
    assert finding["evidence"]["extension_days_requested"] == 40 and finding["evidence"]["extension_days"] == 30


async def test_a_petition_must_be_accepted_or_rejected_by_the_end_of_day_15(orm: str) -> None:
    w = await f.world()
    petition = await f.case(w.village, f.local(2023, 5, 2, 10), kind=CaseKind.PETITION, number="XF-3")
    day_15 = await check(f.local(2023, 5, 17, 23, 59, 59))
    assert found(day_15, ACCEPTANCE) == []
    day_16 = await check(f.local(2023, 5, 18, 0, 0, 1))
    assert found(day_16, ACCEPTANCE) == [("XF-3", None)]
    assert found(day_16, OVERDUE) == []  # the handling clock has not started
    await f.add_event(petition, CaseEventType.REJECTED, f.local(2023, 5, 19, 9))
    later = await check(f.local(2023, 5, 20))
    assert found(later, ACCEPTANCE) == []
    assert (await alerts(ACCEPTANCE))[f"{ACCEPTANCE}|XF-3"].status == "RESOLVED"


async def test_a_holiday_on_the_last_day_moves_the_deadline(orm: str) -> None:
    rules = parse_rules_config({"counties": {"522728": {"holidays": ["2023-06-01", "2023-06-02"]}}})
    w = await f.world()
    await f.case(w.village, f.local(2023, 5, 2, 10), level=CaseLevel.TOWNSHIP, number="JF-3")
    due = f.local(2023, 6, 6)  # last day 06-01 and 06-02 are county holidays, 06-03/04 a weekend → Monday 06-05
    assert found(await check(due - SECOND, write=False, rules=rules), OVERDUE) == []
    result = await check(due + SECOND, write=False, rules=rules)
    assert found(result, OVERDUE) == [("JF-3", None)]
    assert result.parameters["calendar"]["add"] == ["2023-06-01", "2023-06-02"]


async def test_a_village_dispute_not_escalated_after_15_days_is_a_warning(orm: str) -> None:
    w = await f.world()
    await f.case(w.village, f.local(2023, 5, 2, 10), number="JF-4")
    await f.case(
        w.village,
        f.local(2023, 5, 2, 10),
        number="JF-5",
        events=[(CaseEventType.ESCALATED, f.local(2023, 5, 10), {"to_level": CaseLevel.TOWNSHIP})],
    )
    assert found(await check(f.local(2023, 5, 17, 23, 59, 59), write=False), VILLAGE) == []
    result = await check(f.local(2023, 5, 18, 0, 0, 1))
    assert found(result, VILLAGE) == [("JF-4", None)]
    alert = (await alerts(VILLAGE))[f"{VILLAGE}|JF-4"]
    assert alert.severity == "WARNING" and not alert.notify_head
    assert alert.evidence["escalation_count"] == 0


async def test_escalating_a_village_dispute_resolves_its_warning(orm: str) -> None:
    w = await f.world()
    dispute = await f.case(w.village, f.local(2023, 5, 2, 10), number="JF-6")
    await check(f.local(2023, 5, 20))
    await f.add_event(dispute, CaseEventType.ESCALATED, f.local(2023, 5, 21, 9), to_level=CaseLevel.TOWNSHIP)
    result = await check(f.local(2023, 5, 22))
    assert [(c.alert.fingerprint, c.kind) for c in result.changes] == [(f"{VILLAGE}|JF-6", "RESOLVED")]
    assert (await alerts(VILLAGE))[f"{VILLAGE}|JF-6"].resolved_at == f.local(2023, 5, 22)
