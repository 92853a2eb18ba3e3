"""Cases and mediation visits from 2024-01-01 to the build day, at the 2023 rate, inside their deadlines.

Every month draws from its own random stream and is built whole; what lies after the build
instant is then cut off (cases not yet reported, events and visits still to come), so a case
open at the build day is simply one still being handled. Deadlines kept: a dispute is resolved
within 29 days and, when a village needs more than 13, escalated to the township first; a petition
is accepted within 12 days and settled within 55 (85 with an approved 30-day extension).
The only exceptions are the four planted cases of `_planted`.
"""

from __future__ import annotations

import calendar
import random
from datetime import date, datetime, time
from typing import Any

from server.demo import plan
from server.demo.cases import MEDIATED_NOTES, MONTH_WEIGHTS, Context, DemoCase
from server.demo.clock import CST, at, days, daytime, parse
from server.demo.disputes import DISPUTES, FAILED_NOTE, MEDIATED
from server.demo.followup import LINKED_VISITS, MEDIATION_VISITS, VISIT_NOTES
from server.demo.meetings import Meeting
from server.demo.names import Faker
from server.demo.petitions import PETITIONS, REFERRED_NOTE

HEAD = plan.BUREAU_HEAD[0]
SETTLED_NOTE = "已出具处理意见书并告知信访人"


def _share(total: int, month: int, rng: random.Random) -> int:
    """A month's share of a yearly total by the 2023 month weights, rounded at random."""
    exact = total * MONTH_WEIGHTS[month - 1] / sum(MONTH_WEIGHTS)
    return int(exact) + (1 if rng.random() < exact - int(exact) else 0)


def _reported(rng: random.Random, year: int, month: int, online: bool) -> datetime:
    """A report time in a month (waking hours for online channels, office hours otherwise)."""
    day = date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))
    hour = rng.randint(8, 22) if online else rng.randint(8, 19)
    return at(day, time(hour, rng.randrange(60)))


def _discuss(case: DemoCase, meetings: list[Meeting], after: datetime, before: datetime, times: int = 1) -> None:
    """Put the case on the first (`times`) thematic meetings of its township in (after, before), if there are any."""
    for meeting in meetings:
        if len(case.discussed_in) >= times:
            return
        if after < meeting.when < before and meeting.kind == "THEMATIC" and meeting.status != "CANCELLED":
            case.discuss(meeting)


def _dispute(ctx: Context, year: int, month: int, meetings: dict[str, list[Meeting]]) -> DemoCase:
    """One dispute: most mediated within days; the long ones escalated before day 14 and studied by the township."""
    rng = ctx.rng
    case = ctx.dispute(ctx.pick_village(), datetime(year, month, 1, 8, tzinfo=CST))
    case.reported = _reported(rng, year, month, case.channel in ("HOUSEHOLD_CHAT", "ONLINE"))
    r = rng.random()
    span = (0.05, 3) if r < 0.55 else (3, 13) if r < 0.9 else (13, 29)
    resolved = daytime(rng, case.reported + days(span[0]), case.reported + days(span[1]))
    start = case.reported
    if resolved - start > days(6) and rng.random() < 0.08:
        failed = daytime(rng, start + days(1), start + days(3))
        case.add("RESOLVED", failed, outcome="FAILED", note="首次调解未成")
        start = daytime(rng, failed + days(0.2), failed + days(2))
        case.add("REOPENED", start, note="当事人申请再次调解")
    long = resolved - case.reported > days(13)  # then escalated by day 12: the village rule's E is 15
    if long or (case.level == "VILLAGE" and resolved - start > days(0.5) and rng.random() < 0.04):
        if case.level == "VILLAGE":
            up = daytime(rng, start + days(0.1), min(resolved - days(0.1), case.reported + days(12)))
            case.add("ESCALATED", up, toLevel="TOWNSHIP", note="村级化解不了，上报镇综治中心")
            start = up
        _discuss(case, meetings[case.township], start, resolved - days(0.05), times=2 if long else 1)
    elif case.level == "TOWNSHIP" and resolved - start > days(3):  # a walk-in or letter the township studies
        _discuss(case, meetings[case.township], start, resolved - days(0.05))
    outcome = "MEDIATED" if rng.random() < MEDIATED / DISPUTES else "FAILED"
    note = rng.choice(MEDIATED_NOTES) if outcome == "MEDIATED" else FAILED_NOTE
    case.add("RESOLVED", resolved, outcome=outcome, note=note)
    if outcome == "MEDIATED" and rng.random() < 0.1:
        case.add("CLOSED", daytime(rng, resolved + days(1), resolved + days(10)), note="归档")
    return case


def _petition(ctx: Context, year: int, month: int, meetings: dict[str, list[Meeting]]) -> DemoCase:
    """One petition item: accepted within 12 days (a few rejected), settled within 55 (or extended)."""
    rng = ctx.rng
    case = ctx.petition(ctx.pick_village(), _reported(rng, year, month, False))
    if rng.random() < 0.05:
        case.add("REJECTED", daytime(rng, case.reported + days(1), case.reported + days(6)),
                 note="不属于信访事项受理范围，已告知通过司法途径解决")
        return case
    accepted = daytime(rng, case.reported + days(1), case.reported + days(12))
    case.add("ACCEPTED", accepted)
    extended = rng.random() < 0.1
    done = daytime(rng, accepted + days(52 if extended else 10), accepted + days(84 if extended else 55))
    if rng.random() < 0.8:
        _discuss(case, meetings[case.township], accepted, done - days(1), times=2)
    if extended:
        case.add("EXTENDED", max(accepted + days(50), case.events[-1]["when"] + days(0.1)), days=30, approver=HEAD,
                 note="情况复杂，经县信访局主要负责同志批准延长30日，已告知信访人延期理由")
    if rng.random() < 0.1:
        case.add("RESOLVED", max(done, case.events[-1]["when"] + days(0.5)), outcome="REFERRED", note=REFERRED_NOTE)
    else:
        case.add("RESOLVED", max(done, case.events[-1]["when"] + days(0.5)),
                 outcome=rng.choice(("SETTLED", "SETTLED", "EXPLAINED")), note=SETTLED_NOTE)
    return case


def _visits(ctx: Context, year: int, month: int, disputes: list[DemoCase]) -> list[dict[str, Any]]:
    """The month's mediation visits (about 1,210 a year, some following a dispute of the month)."""
    rng = ctx.rng
    out: list[dict[str, Any]] = []
    for n in range(_share(MEDIATION_VISITS, month, rng)):
        case = rng.choice(disputes) if disputes and rng.random() < LINKED_VISITS / MEDIATION_VISITS else None
        if case is not None:
            end = case.resolved_at or case.reported + days(20)
            when = daytime(rng, case.reported + days(0.02), end)
            out.append({"id": "", "village": case.village["code"], "at": when, "case": case,
                        "note": rng.choice(VISIT_NOTES[:2] + VISIT_NOTES[3:])})
        else:
            day = date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))
            out.append({"id": "", "village": ctx.pick_village()["code"], "at": at(day, time(rng.randint(8, 18), rng.randrange(60))),
                        "note": rng.choice(VISIT_NOTES)})
    return out


def t(value: str) -> datetime:
    """"2026-09-21T10:00" as a local instant."""
    return parse(value + ":00+08:00")


def _planted(ctx: Context, meetings: dict[str, list[Meeting]]) -> list[DemoCase]:
    """Four 2026 cases left open past a deadline: the genuine case alerts of a demo built on 2026-11-30."""
    village = ctx.villages["522728111"][3]
    dispute = ctx.dispute(village, t("2026-09-21T10:00"), channel="HOME_VISIT", category="LAND", level="VILLAGE")
    dispute.add("ESCALATED", t("2026-09-25T15:00"), toLevel="TOWNSHIP", note="村级化解不了，上报镇综治中心")
    _discuss(dispute, meetings[dispute.township], t("2026-09-25T15:00"), t("2026-10-15T00:00"))
    dispute.add("ESCALATED", t("2026-10-15T10:00"), toLevel="COUNTY", note="镇级协调未果，报县信访局")  # overdue from 10-22
    petition = ctx.petition(ctx.villages["522728001"][2], t("2026-07-28T10:30"), category="LAND")
    # 60 days end on 10-02, inside the National Day holiday (10-01 … 10-07): due end of 10-08; never extended: overdue
    petition.add("ACCEPTED", t("2026-08-03T09:00"))
    _discuss(petition, meetings[petition.township], t("2026-09-01T00:00"), t("2026-09-30T00:00"))
    unaccepted = ctx.petition(ctx.villages["522728109"][5], t("2026-11-09T15:40"), category="POLICY")  # due 11-24
    reopened = ctx.dispute(ctx.villages["522728110"][4], t("2026-11-06T09:30"), channel="HOME_VISIT",
                           category="NEIGHBOUR", level="VILLAGE")
    reopened.add("RESOLVED", t("2026-11-09T16:00"), outcome="FAILED", note="首次调解未成")
    # never escalated: E = 15 days end on Saturday 11-21, moved to Monday 11-23; warning from 11-24.
    # Its 30 days end on Sunday 12-06, moved to Monday 12-07: a demo built on 12-07 shows it due soon, not overdue
    reopened.add("REOPENED", t("2026-11-11T10:00"), note="村调委会继续调解")
    return [dispute, petition, unaccepted, reopened]


def settle_open(ctx: Context, cases: list[DemoCase]) -> None:
    """The cases still open at the end of 2023 (older ones included) are settled in January–May 2024."""
    rng = ctx.rng
    for case in cases:
        if not case.open:
            continue
        last = max([case.reported, parse("2024-01-10T09:00:00+08:00")] + [e["when"] for e in case.events])
        if case.kind == "PETITION" and not any(e["type"] in ("ACCEPTED", "REJECTED") for e in case.events):
            last = daytime(rng, last + days(0.5), last + days(3))
            case.add("ACCEPTED", last, note="逾期受理")
        done = daytime(rng, last + days(1), last + days(100 if case.reported.year < 2023 else 40))
        if case.kind == "DISPUTE":
            case.add("RESOLVED", done, outcome="MEDIATED", note="经镇联席会议协调，双方达成调解协议")
        else:
            case.add("RESOLVED", done, outcome=rng.choice(("SETTLED", "EXPLAINED")), note=SETTLED_NOTE)


def build_later_cases(*, villages: dict[str, list[dict[str, Any]]], meetings: list[Meeting],
                      months: list[tuple[int, int]], instant: datetime) -> tuple[list[DemoCase], list[dict[str, Any]]]:
    """Cases and visits of 2024 up to the build instant (cut there); visits still hold their DemoCase."""
    by_township: dict[str, list[Meeting]] = {t.code: [] for t in plan.TOWNSHIPS}
    for meeting in sorted(meetings, key=lambda m: m.when):
        by_township[meeting.township].append(meeting)
    cases: list[DemoCase] = []
    visits: list[dict[str, Any]] = []
    for year, month in months:
        rng = random.Random(f"luodian-cases-{year}-{month:02d}")
        ctx = Context(rng, Faker(rng), villages, by_township)
        disputes = [_dispute(ctx, year, month, by_township) for _ in range(_share(DISPUTES, month, rng))]
        petitions = [_petition(ctx, year, month, by_township) for _ in range(_share(PETITIONS, month, rng))]
        cases += disputes + petitions
        visits += _visits(ctx, year, month, disputes)
    rng = random.Random("luodian-planted-2026")
    cases += _planted(Context(rng, Faker(rng), villages, by_township), by_township)
    return cases, visits


def cut(cases: list[DemoCase], visits: list[dict[str, Any]], instant: datetime) -> tuple[list[DemoCase], list[dict[str, Any]]]:
    """Drop what lies at or after the build instant: unreported cases, future events, visits and discussions."""
    kept = [c for c in cases if c.reported < instant]
    for case in kept:
        case.events = [e for e in case.events if e["when"] < instant]
        for meeting in [m for m in case.discussed_in if m.when >= instant]:
            case.discussed_in.remove(meeting)
            meeting.cases.remove(case)
    for case in cases:
        if case.reported >= instant:
            for meeting in case.discussed_in:
                meeting.cases.remove(case)
    alive = {id(c) for c in kept}
    visits = [v for v in visits if _at(v) < instant and ("case" not in v or id(v["case"]) in alive)]
    return kept, visits


def _at(visit: dict[str, Any]) -> datetime:
    """A visit's instant (the 2023 builder stores ISO text, this module datetimes)."""
    value = visit["at"]
    return value if isinstance(value, datetime) else parse(value)
