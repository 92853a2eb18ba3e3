"""Petition items (信访事项) of 2023 and the older cases (2021–2022) the joint meetings still studied."""

from __future__ import annotations

from datetime import datetime

from server.demo import plan
from server.demo.cases import Context, DemoCase
from server.demo.clock import CST, LAST_EVENT, daytime, days, parse

PETITIONS = 40
RESOLVED_DISCUSSED = 16  # of the 92 discussed cases resolved, 16 are 2023 petitions
HISTORICAL = 24
HISTORICAL_RESOLVED = 14  # of the 92, 14 are older cases finally settled in 2023
HISTORICAL_DISPUTES = frozenset({3, 8, 13, 17, 20, 22})
HEAD = plan.BUREAU_HEAD[0]
REFERRED_NOTE = "属于诉讼、仲裁解决事项，引导信访人依法通过法律途径解决"


def _t(value: str) -> datetime:
    """"2023-05-02T10:00" in local time."""
    return parse(value + ":00+08:00")


def _settle(ctx: Context, case: DemoCase, when: datetime) -> None:
    """A successful resolution fitting the case kind."""
    if case.kind == "DISPUTE":
        case.add("RESOLVED", when, outcome="MEDIATED", note="经镇联席会议协调，双方达成调解协议")
    else:
        outcome = ctx.rng.choice(("SETTLED", "SETTLED", "EXPLAINED"))
        case.add("RESOLVED", when, outcome=outcome, note="已出具处理意见书并告知信访人")


def _discussed_then(ctx: Context, case: DemoCase, after: datetime, before: datetime, *, twice: float) -> datetime:
    """Discuss the case at one (sometimes two) meetings in (after, before); return the last one's time."""
    options = ctx.meetings(case.township, after, before)
    first = ctx.rng.choice(options)
    case.discuss(first)
    later = [m for m in options if first.when < m.when <= first.when + days(30)]
    if later and ctx.rng.random() < twice:
        second = ctx.rng.choice(later[:3])
        case.discuss(second)
        return second.when
    return first.when


def _resolved(ctx: Context, *, discussed: bool) -> DemoCase:
    """Accepted within 15 days and settled within 60 (some studied at the joint meeting first)."""
    rng = ctx.rng
    village = ctx.pick_village()
    township = ctx.township_of(village)
    if discussed:
        meeting = rng.choice(ctx.meetings(township, _t("2023-02-01T00:00"), _t("2023-12-15T00:00")))
        accepted = daytime(rng, max(_t("2023-01-06T09:00"), meeting.when - days(20)), meeting.when - days(1))
        reported = daytime(rng, max(_t("2023-01-03T09:00"), accepted - days(12)), accepted - days(0.2))
        case = ctx.petition(village, reported)
        case.add("ACCEPTED", accepted)
        last = _discussed_then(ctx, case, accepted, min(accepted + days(40), _t("2023-12-20T00:00")), twice=0.25)
        _settle(ctx, case, daytime(rng, last + days(1), min(last + days(10), accepted + days(59), LAST_EVENT)))
        return case
    case = ctx.petition(village, daytime(rng, _t("2023-01-03T09:00"), _t("2023-10-20T17:00")))
    accepted = daytime(rng, case.reported + days(1), case.reported + days(12))
    case.add("ACCEPTED", accepted)
    _settle(ctx, case, daytime(rng, accepted + days(10), accepted + days(55)))
    return case


def _simple(ctx: Context, reported: str, category: str | None = None) -> DemoCase:
    """A petition from a random village reported at a fixed local time."""
    return ctx.petition(ctx.pick_village(), _t(reported), category=category)


def _special(ctx: Context) -> list[DemoCase]:
    """Petitions picked to exercise the acceptance, extension and overdue rules."""
    rng = ctx.rng
    out = []
    late = _simple(ctx, "2023-04-11T10:20")  # accepted on day 18 (late), then settled
    late.add("ACCEPTED", _t("2023-04-29T09:00"), note="逾期受理")
    _settle(ctx, late, _t("2023-05-30T16:00"))
    out.append(late)
    extended = _simple(ctx, "2023-10-08T10:15", "LAND")  # still open, but inside the approved extension
    extended.add("ACCEPTED", _t("2023-10-12T15:00"))
    _discussed_then(ctx, extended, _t("2023-10-12T15:00"), _t("2023-12-05T00:00"), twice=0.0)
    extended.add("EXTENDED", _t("2023-12-05T10:00"), days=30, approver=HEAD,
                 note="情况复杂，经县信访局主要负责同志批准延长30日，已告知信访人延期理由")
    out.append(extended)
    late_open = _simple(ctx, "2023-11-01T09:40")  # accepted on day 22, still within its 60 days
    late_open.add("ACCEPTED", _t("2023-11-23T10:00"), note="逾期受理")
    out.append(late_open)
    out.append(_simple(ctx, "2023-12-08T16:20"))  # never accepted: acceptance overdue since 12-23
    rejected = _simple(ctx, "2023-05-16T11:05", "OTHER")
    rejected.add("REJECTED", _t("2023-05-20T10:00"), note="不属于信访事项受理范围，已告知通过司法途径解决")
    out.append(rejected)
    for discussed in (True, False):
        referred = ctx.petition(ctx.pick_village(), daytime(rng, _t("2023-03-01T09:00"), _t("2023-08-31T17:00")))
        accepted = daytime(rng, referred.reported + days(1), referred.reported + days(10))
        referred.add("ACCEPTED", accepted)
        last = _discussed_then(ctx, referred, accepted, accepted + days(40), twice=0.0) if discussed else accepted
        referred.add("RESOLVED", daytime(rng, last + days(1), last + days(15)), outcome="REFERRED", note=REFERRED_NOTE)
        out.append(referred)
    overdue = _simple(ctx, "2023-08-14T10:00")  # accepted 08-18, due 10-17: overdue
    overdue.add("ACCEPTED", _t("2023-08-18T09:30"))
    _discussed_then(ctx, overdue, _t("2023-08-18T09:30"), _t("2023-10-31T00:00"), twice=1.0)
    out.append(overdue)
    return out


def _recent(ctx: Context, discuss: bool) -> DemoCase:
    """Accepted in November or December and still within its 60 days."""
    rng = ctx.rng
    case = ctx.petition(ctx.pick_village(), daytime(rng, _t("2023-11-05T09:00"), _t("2023-12-18T17:00")))
    accepted = daytime(rng, case.reported + days(1), case.reported + days(10))
    case.add("ACCEPTED", accepted)
    options = ctx.meetings(case.township, accepted, LAST_EVENT)
    if discuss and options:
        case.discuss(options[0])
    return case


def build_petitions(ctx: Context) -> list[DemoCase]:
    """The 40 petition items reported in 2023."""
    cases = [_resolved(ctx, discussed=True) for _ in range(RESOLVED_DISCUSSED)]
    cases += [_resolved(ctx, discussed=False) for _ in range(5)]
    cases += _special(ctx)
    cases += [_recent(ctx, i < 3) for i in range(11)]
    if len(cases) != PETITIONS:
        raise AssertionError(f"{len(cases)} petitions built, expected {PETITIONS}")
    return cases


def build_historical(ctx: Context) -> list[DemoCase]:
    """Cases reported in 2021–2022 (mostly 历史遗留) studied again at 2023 meetings."""
    rng = ctx.rng
    cases = []
    for i in range(HISTORICAL):
        township = plan.TOWNSHIPS[i % len(plan.TOWNSHIPS)].code
        village = ctx.pick_village(township)
        reported = daytime(rng, datetime(2021, 12, 1, 9, tzinfo=CST), datetime(2022, 11, 30, 17, tzinfo=CST))
        category = rng.choice(("HISTORICAL", "HISTORICAL", "HISTORICAL", "LAND", "POLICY"))
        if i in HISTORICAL_DISPUTES:
            case = ctx.dispute(village, reported, category=category, level="VILLAGE", channel="HOME_VISIT")
            case.add("ESCALATED", daytime(rng, reported + days(3), reported + days(20)), toLevel="TOWNSHIP")
        else:
            case = ctx.petition(village, reported, category=category)
            accepted = daytime(rng, reported + days(2), reported + days(10))
            case.add("ACCEPTED", accepted)
            if i % 3 == 0:
                case.add("EXTENDED", accepted + days(50), days=30, approver=HEAD, note="情况复杂，延长办理期限")
        after = max(case.events[-1]["when"], _t("2023-01-03T00:00"))
        if i < HISTORICAL_RESOLVED:
            last = _discussed_then(ctx, case, after, _t("2023-12-15T00:00"), twice=0.4)
            _settle(ctx, case, daytime(rng, last + days(1), min(last + days(12), LAST_EVENT)))
        else:
            case.discuss(rng.choice(ctx.meetings(township, after, _t("2023-04-01T00:00"))))
        cases.append(case)
    return cases
