"""The hand-written plan of the demo: townships, bureau, rotation, meeting cadence and its gaps.

Everything the seed report states is a constant here; the gaps (months and quarters without
the required meetings, months without county supervision) are explicit so the rule engine's
expected findings can be read off this file (see `expected_period_findings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

COUNTY_CODE = "522728"
COUNTY_NAME = "罗甸县"
TIMEZONE = "Asia/Shanghai"
YEAR = 2023
ESTABLISHED_ON = "2021-11-01"  # seed: 2021年11月，全县10个乡(镇、街道)已建立信访工作联席会议

THEMATIC_PER_MONTH = 2  # seed: 一月两次专题会


@dataclass(frozen=True, slots=True)
class TownshipPlan:
    code: str
    name: str
    kind: str
    base: str  # the name without 镇/乡/街道, used for the seat community
    villages: int  # village-level units (村 + 社区)
    communities: int
    thematic_before: int  # thematic meetings numbered before 2023 (numbering continues)
    plenary_before: int
    thematic: tuple[int, ...]  # HELD thematic meetings per month of 2023
    plenary_quarters: tuple[int, ...]  # quarters of 2023 with a HELD plenary


_FULL = (2,) * 12


def _months(**short: int) -> tuple[int, ...]:
    """Twelve monthly counts of 2, except the months named (m1=1 means January has one)."""
    counts = list(_FULL)
    for key, value in short.items():
        counts[int(key[1:]) - 1] = value
    return tuple(counts)


TOWNSHIPS: tuple[TownshipPlan, ...] = (
    TownshipPlan("522728001", "斛兴街道", "SUBDISTRICT", "斛兴", 20, 10, 6, 2, _FULL, (1, 2, 3, 4)),
    TownshipPlan("522728107", "龙坪镇", "TOWN", "龙坪", 25, 2, 4, 1, _months(m2=1), (2, 3, 4)),
    TownshipPlan("522728108", "边阳镇", "TOWN", "边阳", 22, 1, 3, 1, _months(m1=1, m2=1, m7=1), (2, 4)),
    TownshipPlan("522728109", "沫阳镇", "TOWN", "沫阳", 17, 1, 2, 1, _FULL, (1, 2, 3, 4)),
    TownshipPlan("522728110", "逢亭镇", "TOWN", "逢亭", 20, 1, 5, 2, _months(m1=1, m10=1), (3, 4)),
    TownshipPlan("522728111", "罗悃镇", "TOWN", "罗悃", 17, 1, 0, 0, _months(m1=1, m2=1, m8=0), (4,)),
    TownshipPlan("522728112", "茂井镇", "TOWN", "茂井", 14, 1, 4, 1, _months(m6=1), (1, 3, 4)),
    TownshipPlan("522728113", "红水河镇", "TOWN", "红水河", 19, 1, 1, 1, _months(m1=1, m2=1, m9=1), (2, 4)),
    TownshipPlan("522728114", "木引镇", "TOWN", "木引", 16, 1, 3, 1, _months(m2=1, m12=1), (1, 3)),
    TownshipPlan("522728219", "凤亭乡", "TOWNSHIP", "凤亭", 16, 0, 2, 1, _months(m1=0), (2, 3)),
)
TOWNSHIP_BY_CODE = {plan.code: plan for plan in TOWNSHIPS}

# 江亭村 (沫阳镇), as the seed describes it: 9 village groups, 444 households, 1,929 people.
JIANGTING = {"township": "522728109", "name": "江亭村", "groups": 9, "households": 444, "population": 1929,
             "grids": 7, "household_groups": 40}

# County petition bureau: (person id, name, role, from, to).
BUREAU_HEAD = ("P00001", "黄元吉")  # seed: 罗甸县信访局主要负责同志黄元吉
BUREAU_LEADERS = (("P00002", "王建华"), ("P00003", "岑明芬"), ("P00004", "韦国林"), ("P00005", "陆秀英"))
BUREAU_STAFF = (  # (id, name, from, to): 罗文杰 left at mid-year and 何佳 took over his townships
    ("P00006", "杨丽", None, None),
    ("P00007", "蒙志强", None, None),
    ("P00008", "班晓燕", None, None),
    ("P00009", "罗文杰", None, "2023-06-30"),
    ("P00010", "何佳", "2023-07-01", None),
)

# Leadership rotation (分片联系) for 2023: (leader, township, from, to); `to` None = still in force.
# On 2023-08-16 逢亭镇 and 凤亭乡 swap leaders (韦国林 ⇄ 陆秀英).
SUPERVISION: tuple[tuple[str, str, str, str | None], ...] = (
    ("P00002", "522728001", "2023-01-01", None),
    ("P00002", "522728107", "2023-01-01", None),
    ("P00002", "522728108", "2023-01-01", None),
    ("P00003", "522728109", "2023-01-01", None),
    ("P00003", "522728111", "2023-01-01", None),
    ("P00003", "522728112", "2023-01-01", None),
    ("P00004", "522728110", "2023-01-01", "2023-08-15"),
    ("P00004", "522728113", "2023-01-01", None),
    ("P00004", "522728219", "2023-08-16", None),
    ("P00005", "522728114", "2023-01-01", None),
    ("P00005", "522728219", "2023-01-01", "2023-08-15"),
    ("P00005", "522728110", "2023-08-16", None),
)
STAFF_OF_LEADER = {"P00002": "P00006", "P00003": "P00007", "P00004": "P00008", "P00005": "P00009"}
STAFF_REPLACED = ("P00009", "P00010", date(2023, 7, 1))  # (old, new, from)

# Supervision exceptions per (township, month): who from the bureau attends that month's
# supervised thematic meeting instead of "the assigned leader + their staff member".
#   ("leader", id) another leader attends; "no_staff"; "no_leader"; "nobody"; "with_head".
SUPERVISION_EXCEPTIONS: dict[tuple[str, int], tuple[str, str | None]] = {
    ("522728107", 3): ("leader", "P00003"),  # 龙坪镇 March: 岑明芬 stands in → assigned_leader WARNING
    ("522728114", 10): ("leader", "P00002"),  # 木引镇 October: 王建华 stands in → WARNING
    ("522728113", 4): ("no_staff", None),  # 红水河镇 April: leader alone → coverage VIOLATION
    ("522728112", 2): ("no_leader", None),  # 茂井镇 February: staff alone → VIOLATION
    ("522728108", 11): ("nobody", None),  # 边阳镇 November: no bureau at thematic (only at the plenary) → VIOLATION
    ("522728001", 6): ("with_head", None),  # 斛兴街道 June: the head joins the assigned team (no finding)
}
# Months where the supervised meeting must fall on a given side of the rotation day.
ROTATION_MONTH_DAY = {("522728110", 8): 8, ("522728219", 8): 22}  # 逢亭: old leader on 08-08; 凤亭: new leader on 08-22

# Meetings placed on purpose at the edge of a local period (UTC would put them elsewhere).
EDGE_MEETINGS = {
    ("522728107", "THEMATIC", 3): "2023-03-01T07:30:00+08:00",  # March locally, still 28 Feb in UTC
    ("522728109", "THEMATIC", 5): "2023-05-31T23:30:00+08:00",  # late-night session: still May
    ("522728110", "PLENARY", 3): "2023-07-01T07:30:00+08:00",  # Q3 locally, Q2 in UTC
}
# Quarter → month of the plenary (else random), where the plan needs it.
PLENARY_MONTH = {("522728108", 4): 11}  # 边阳镇's Q4 plenary is in November (attended by the bureau)

def expected_period_findings() -> list[tuple[str, str, str]]:
    """The (rule id, township code, period) findings the 2023 plan implies as of 2024-01-01."""
    findings: list[tuple[str, str, str]] = []
    for plan in TOWNSHIPS:
        for month, held in enumerate(plan.thematic, start=1):
            if held < THEMATIC_PER_MONTH:
                findings.append(("cadence.thematic_monthly", plan.code, f"{YEAR}-{month:02d}"))
        for quarter in range(1, 5):
            if quarter not in plan.plenary_quarters:
                findings.append(("cadence.plenary_quarterly", plan.code, f"{YEAR}-Q{quarter}"))
        for month, held in enumerate(plan.thematic, start=1):
            kind, _ = SUPERVISION_EXCEPTIONS.get((plan.code, month), ("", None))
            if held == 0 or kind in ("no_staff", "no_leader", "nobody"):
                findings.append(("supervision.monthly_coverage", plan.code, f"{YEAR}-{month:02d}"))
            elif kind == "leader":
                findings.append(("supervision.assigned_leader", plan.code, f"{YEAR}-{month:02d}"))
    return sorted(findings)
