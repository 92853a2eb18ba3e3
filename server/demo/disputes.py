"""The 1,225 disputes of 2023: 1,203 mediated, 6 failed, 16 still open (all handled)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time

from server.demo.cases import MEDIATED_NOTES, MONTH_WEIGHTS, Context, DemoCase
from server.demo.clock import CST, LAST_EVENT, at, between, days, daytime, parse

DISPUTES = 1225  # seed: 调处矛盾纠纷1225件 / 线上线下收集矛盾纠纷隐患1225条
MEDIATED = 1203  # seed: 调解成功1203条
DISCUSSED_MEDIATED = 62  # of the 92 discussed cases resolved, 62 are 2023 disputes
DISCUSSED_FAILED = 3
FAILED_UNDISCUSSED = 3
FAILED_NOTE = "调解不成，已告知当事人依法通过诉讼途径解决"
EARLIEST = datetime(2023, 1, 2, 8, 0, tzinfo=CST)


def _reported(ctx: Context, online: bool) -> datetime:
    """A report time in 2023, by month weight; online reports come at any waking hour."""
    month = ctx.rng.choices(range(1, 13), weights=MONTH_WEIGHTS)[0]
    last = calendar.monthrange(2023, month)[1] - (1 if month == 12 else 0)
    day = date(2023, month, ctx.rng.randint(1, last))
    hour = ctx.rng.randint(7, 22) if online else ctx.rng.randint(8, 19)
    return at(day, time(hour, ctx.rng.randrange(60)))


def _resolve(ctx: Context, case: DemoCase, outcome: str, when: datetime) -> None:
    """Record the resolution (and sometimes the archival CLOSED)."""
    note = ctx.rng.choice(MEDIATED_NOTES) if outcome == "MEDIATED" else FAILED_NOTE
    case.add("RESOLVED", when, outcome=outcome, note=note)
    if outcome == "MEDIATED" and ctx.rng.random() < 0.1 and when + days(2) < LAST_EVENT:
        case.add("CLOSED", daytime(ctx.rng, when + days(1), min(when + days(10), LAST_EVENT)), note="归档")


def _discussed(ctx: Context, outcome: str) -> DemoCase:
    """A dispute escalated to the township, studied at one or two joint meetings, then resolved."""
    rng = ctx.rng
    village = ctx.pick_village()
    township = ctx.township_of(village)
    window = [m for m in ctx.held[township] if parse("2023-01-15T00:00:00+08:00") < m.when < parse("2023-12-20T00:00:00+08:00")]
    first = rng.choice(window)
    reported = daytime(rng, max(EARLIEST, first.when - days(20)), first.when - days(1))
    case = ctx.dispute(village, reported)
    if case.level == "VILLAGE":
        case.add("ESCALATED", between(rng, reported + days(0.1), first.when - days(0.1)), toLevel="TOWNSHIP")
    later = [m for m in ctx.held[township] if first.when < m.when <= min(first.when + days(45), parse("2023-12-24T00:00:00+08:00"))]
    meetings = [first] + ([rng.choice(later[:3])] if later and rng.random() < 0.3 else [])
    for meeting in meetings:
        case.discuss(meeting)
    last = meetings[-1].when
    _resolve(ctx, case, outcome, daytime(rng, last + days(0.1), min(last + days(10), LAST_EVENT)))
    return case


def _mediated(ctx: Context, *, reported: datetime | None = None, channel: str | None = None, reopen: bool = False) -> DemoCase:
    """A dispute mediated without the joint meeting (most of them, most within days)."""
    rng = ctx.rng
    village = ctx.pick_village()
    case = ctx.dispute(village, reported or EARLIEST, channel=channel)
    if reported is None:
        case.reported = _reported(ctx, case.channel in ("HOUSEHOLD_CHAT", "ONLINE"))
    start = case.reported
    if reopen:
        first = daytime(rng, start + days(1), start + days(4))
        case.add("RESOLVED", first, outcome="FAILED", note="首次调解未成")
        start = daytime(rng, first + days(1), first + days(3))
        case.add("REOPENED", start, note="当事人申请再次调解")
    r = rng.random()
    span = (0.05, 3) if r < 0.55 else (3, 15) if r < 0.9 else (15, 30) if r < 0.97 else (31, 50)
    resolved = daytime(rng, start + days(span[0]), start + days(span[1]))
    if resolved > LAST_EVENT:
        resolved = between(rng, start + days(0.02), LAST_EVENT)
    if case.level == "VILLAGE" and rng.random() < 0.06 and resolved - start > days(0.2):
        case.add("ESCALATED", between(rng, start + days(0.05), resolved - days(0.05)), toLevel="TOWNSHIP")
    _resolve(ctx, case, "MEDIATED", resolved)
    return case


def _failed(ctx: Context) -> DemoCase:
    """A dispute whose mediation failed (the parties were sent to court)."""
    case = ctx.dispute(ctx.pick_village(), EARLIEST)
    case.reported = daytime(ctx.rng, EARLIEST, parse("2023-11-30T18:00:00+08:00"))
    _resolve(ctx, case, "FAILED", daytime(ctx.rng, case.reported + days(5), case.reported + days(20)))
    return case


def _escalated_open(ctx: Context, start: str, end: str, *, to_county: bool = False, discuss: bool = True) -> DemoCase:
    """An open dispute the village handed up to the township (and maybe on to the county)."""
    rng = ctx.rng
    case = ctx.dispute(ctx.pick_village(), EARLIEST, level="VILLAGE", channel=rng.choice(("HOME_VISIT", "COURTYARD_MEETING", "HOUSEHOLD_CHAT")))
    case.reported = daytime(rng, parse(start), parse(end))
    up = daytime(rng, case.reported + days(0.2), min(case.reported + days(6), LAST_EVENT))
    case.add("ESCALATED", up, toLevel="TOWNSHIP", note="村级化解不了，上报镇综治中心")
    if to_county:
        case.add("ESCALATED", daytime(rng, up + days(15), up + days(25)), toLevel="COUNTY", note="镇级协调未果，报县信访局")
    options = ctx.meetings(case.township, up, LAST_EVENT)
    if discuss and options:
        case.discuss(rng.choice(options[:4]))
    return case


def _reopened_open(ctx: Context, reported: datetime) -> DemoCase:
    """An open village-level dispute: a first mediation failed and it was reopened, never escalated."""
    rng = ctx.rng
    case = ctx.dispute(ctx.pick_village(), reported, level="VILLAGE", channel=rng.choice(("HOME_VISIT", "MASS_MEETING")))
    failed = daytime(rng, reported + days(1), min(reported + days(4), LAST_EVENT - days(2)))
    case.add("RESOLVED", failed, outcome="FAILED", note="首次调解未成")
    case.add("REOPENED", daytime(rng, failed + days(0.5), min(failed + days(3), LAST_EVENT)), note="村调委会继续调解")
    return case


def _open(ctx: Context) -> list[DemoCase]:
    """The 16 disputes still open at the end of 2023 (ages chosen to exercise the case rules)."""
    rng = ctx.rng
    out = [_escalated_open(ctx, "2023-06-01T08:00:00+08:00", "2023-11-20T18:00:00+08:00") for _ in range(4)]
    out += [_escalated_open(ctx, "2023-12-05T08:00:00+08:00", "2023-12-27T18:00:00+08:00", discuss=i < 2) for i in range(4)]
    out.append(_escalated_open(ctx, "2023-09-01T08:00:00+08:00", "2023-09-20T18:00:00+08:00", to_county=True))
    out += [_reopened_open(ctx, daytime(rng, parse("2023-07-01T08:00:00+08:00"), parse("2023-11-15T18:00:00+08:00"))) for _ in range(4)]
    out += [_reopened_open(ctx, daytime(rng, parse("2023-12-03T08:00:00+08:00"), parse("2023-12-14T18:00:00+08:00"))) for _ in range(2)]
    out.append(_reopened_open(ctx, parse("2023-12-24T10:20:00+08:00")))
    return out


def build_disputes(ctx: Context) -> list[DemoCase]:
    """Every dispute reported in 2023, plus one reported just after the year (it must not count)."""
    cases = [_discussed(ctx, "MEDIATED") for _ in range(DISCUSSED_MEDIATED)]
    cases += [_discussed(ctx, "FAILED") for _ in range(DISCUSSED_FAILED)]
    cases += _open(ctx)
    cases += [_failed(ctx) for _ in range(FAILED_UNDISCUSSED)]
    # 2023-01-01 06:30 and 07:45 local are still 2022 in UTC: they count for 2023 here (two early, one
    # late edge, so a count in UTC is off by one instead of cancelling out).
    cases.append(_mediated(ctx, reported=parse("2023-01-01T06:30:00+08:00"), channel="HOUSEHOLD_CHAT"))
    cases.append(_mediated(ctx, reported=parse("2023-01-01T07:45:00+08:00"), channel="ONLINE"))
    cases += [_mediated(ctx, reopen=i < 2) for i in range(MEDIATED - DISCUSSED_MEDIATED - 2)]
    if len(cases) != DISPUTES or sum(1 for c in cases if c.events[-1].get("outcome") == "MEDIATED"
                                     or (c.events[-1]["type"] == "CLOSED" and c.events[-2].get("outcome") == "MEDIATED")) != MEDIATED:
        raise AssertionError("dispute composition does not match the seed")
    # 2024-01-01 07:10 local is still 2023 in UTC: must not count for 2023.
    late = ctx.dispute(ctx.pick_village("522728109"), parse("2024-01-01T07:10:00+08:00"), channel="ONLINE")
    cases.append(late)
    return cases
