"""The hand-written plan of the demo after 2023: rotations, a staff change and the planted misses (holidays: the national calendar, `server.demo.clock.working_days`).

From 2024-01-01 to the build day the generator continues in the 2023 style. Everything that
should raise an alert is listed here, so the open alerts of a demo built on a given day can be
read off this file (see `planted_findings`); everything else keeps its deadlines.
"""

from __future__ import annotations

from datetime import date

from server.demo import plan

FIRST_LATER_DAY = date(2024, 1, 1)

# Leadership rotation changes (分片联系): (first day, township, new leader). The old assignment ends the day before.
ROTATIONS: tuple[tuple[date, str, str], ...] = (
    (date(2025, 1, 1), "522728107", "P00003"),  # 龙坪镇: 王建华 → 岑明芬
    (date(2025, 1, 1), "522728112", "P00002"),  # 茂井镇: 岑明芬 → 王建华
    (date(2026, 4, 1), "522728113", "P00005"),  # 红水河镇: 韦国林 → 陆秀英
    (date(2026, 4, 1), "522728114", "P00004"),  # 木引镇: 陆秀英 → 韦国林
)
# Business staff change: (leaving staff, last day, new staff name, phone, first day of the newcomer).
STAFF_CHANGE = ("P00007", date(2025, 6, 30), "吴晓丽", "13985470712", date(2025, 7, 1))

# Months with one thematic meeting only: (township, year, month) → why (a CANCELLED record when the note says so).
ONE_THEMATIC: dict[tuple[str, int, int], str] = {
    ("522728219", 2025, 2): "cancelled",  # 凤亭乡: the second February session fell to the Spring Festival
    ("522728107", 2026, 10): "cancelled",  # 龙坪镇: the second October session was called off after National Day
    ("522728112", 2026, 11): "not planned",  # 茂井镇: only one November session planned (open month at 2026-11-30)
}
# Quarters without a plenary: (township, year, quarter).
NO_PLENARY = frozenset({("522728113", 2025, 3)})  # 红水河镇: Q3 2025 plenary postponed into Q4, then merged
# Supervision exceptions per (township, year, month), as in plan.SUPERVISION_EXCEPTIONS.
SUPERVISION_EXCEPTIONS: dict[tuple[str, int, int], tuple[str, str | None]] = {
    ("522728108", 2026, 6): ("no_staff", None),  # 边阳镇 June 2026: the leader came alone → coverage VIOLATION
    ("522728114", 2026, 9): ("leader", "P00002"),  # 木引镇 September 2026: 王建华 stands in → WARNING
}


def rotation_rows(today: date) -> list[tuple[str, str, str, str | None]]:
    """The supervision rows in force up to `today`: the 2023 plan, closed and extended by the rotations."""
    rows: list[tuple[str, str, str, str | None]] = list(plan.SUPERVISION)
    for first, township, leader in ROTATIONS:
        if first > today:
            continue
        last = date.fromordinal(first.toordinal() - 1).isoformat()
        rows = [(lead, code, start, last if code == township and end is None else end) for lead, code, start, end in rows]
        rows.append((leader, township, first.isoformat(), None))
    return rows


def leader_on(rows: list[tuple[str, str, str, str | None]], township: str, day: date) -> str:
    """The leader assigned to a township on a day."""
    iso = day.isoformat()
    for leader, code, start, end in rows:
        if code == township and start <= iso and (end is None or iso <= end):
            return leader
    raise LookupError(f"no leader assigned to {township} on {day}")


def staff_on(leader: str, day: date, newcomer: str | None) -> str:
    """The business staff member who goes with a leader on a day (after 2023)."""
    staff = plan.STAFF_OF_LEADER[leader]
    old, new, _ = plan.STAFF_REPLACED
    staff = new if staff == old else staff
    leaving, last_day, _, _, _ = STAFF_CHANGE
    return newcomer if staff == leaving and day > last_day and newcomer else staff


def planted_findings(today: date) -> dict[str, int]:
    """Rule id → the alerts the post-2023 plan implies at 00:00 of `today` (periods closed by then)."""
    def closed(year: int, month: int) -> bool:
        return date(year + month // 12, month % 12 + 1, 1) <= today

    counts: dict[str, int] = {}

    def add(rule: str) -> None:
        counts[rule] = counts.get(rule, 0) + 1

    for _, year, month in ONE_THEMATIC:
        if closed(year, month):
            add("cadence.thematic_monthly")
    for _, year, quarter in NO_PLENARY:
        if closed(year, quarter * 3):
            add("cadence.plenary_quarterly")
    for (_, year, month), (kind, _) in SUPERVISION_EXCEPTIONS.items():
        if closed(year, month):
            add("supervision.monthly_coverage" if kind != "leader" else "supervision.assigned_leader")
    return counts
