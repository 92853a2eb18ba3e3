"""Figures the bureau reports (the seed report's statistics) and a township's meeting compliance grid."""

from __future__ import annotations

import strawberry


@strawberry.type(description="One statistic of the seed report, counted from the database for a year.")
class Statistic:
    key: str
    label_zh: str
    label_en: str
    value: int


@strawberry.type(description="A closed month of a township: thematic meetings held against the required number.")
class ComplianceMonth:
    period: str
    thematic_held: int
    thematic_required: int
    supervised: bool = strawberry.field(description="A bureau leader (or head) and a staff member attended a held thematic meeting.")
    covered_by_assigned: bool = strawberry.field(description="…and the attending leader was one assigned to the township.")
    met: bool


@strawberry.type(description="A closed quarter of a township: plenaries held against the required number.")
class ComplianceQuarter:
    period: str
    plenary_held: int
    plenary_required: int
    met: bool


@strawberry.type(description="Closed months and quarters of a year (periods not yet closed, or before the joint meeting was established, are left out).")
class TownshipCompliance:
    year: int
    months: list[ComplianceMonth]
    quarters: list[ComplianceQuarter]
