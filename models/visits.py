"""Who went on a mediation visit and which cases it touched (the visit itself: models.meetings.MediationVisit)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class VisitOutcome(StrEnum):
    MEDIATED = "MEDIATED"  # 调解成功
    PARTIAL = "PARTIAL"  # 部分达成
    FOLLOW_UP = "FOLLOW_UP"  # 需再次走访
    FAILED = "FAILED"  # 调解不成
    INFORMATION = "INFORMATION"  # 排查、宣传, no dispute mediated


class VisitStaff(Model):
    id = fields.IntField(primary_key=True)
    visit: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.MediationVisit", related_name="staff_links", on_delete=fields.CASCADE
    )
    person: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.Person", related_name="visit_links", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "mediation_visit_staff"
        unique_together = (("visit", "person"),)
        indexes = [("person_id",)]


class VisitCase(Model):
    id = fields.IntField(primary_key=True)
    visit: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.MediationVisit", related_name="case_links", on_delete=fields.CASCADE
    )
    case: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.Case", related_name="visit_links", on_delete=fields.CASCADE
    )

    class Meta:
        table = "mediation_visit_case"
        unique_together = (("visit", "case"),)
        indexes = [("case_id",)]
