"""Joint-meeting sessions: thematic (专题会) and plenary (全体会), numbered per township and kind."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.enums import MeetingKind, MeetingStatus


class Meeting(Model):
    id = fields.IntField(primary_key=True)
    ext_id = fields.CharField(max_length=64, unique=True)  # the lianxi/v1 "id"
    township: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.Township", related_name="meetings", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(MeetingKind, max_length=16)
    status = fields.CharEnumField(MeetingStatus, max_length=16, default=MeetingStatus.HELD)
    number = fields.IntField()  # 第N次专题会 / 全体会, per township and kind
    held_at = fields.DatetimeField()  # UTC; periods are computed in the county's time zone
    title = fields.CharField(max_length=200, null=True)
    attendees: fields.ManyToManyRelation = fields.ManyToManyField(
        "lianxi.Person", related_name="meetings_attended", through="meeting_attendee"
    )
    cases: fields.ManyToManyRelation = fields.ManyToManyField(
        "lianxi.Case", related_name="meetings", through="meeting_case"
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "meeting"
        unique_together = (("township", "kind", "number"),)
        indexes = [("township_id", "held_at")]
        ordering = ["held_at", "id"]


class MediationVisit(Model):
    # A mediation visit to a village (深入村组开展矛盾纠纷调解工作), optionally about one case.

    id = fields.IntField(primary_key=True)
    ext_id = fields.CharField(max_length=64, unique=True)
    village: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.Village", related_name="mediation_visits", on_delete=fields.RESTRICT
    )
    at = fields.DatetimeField()
    case = fields.ForeignKeyField("lianxi.Case", null=True, related_name="visits", on_delete=fields.SET_NULL)
    note = fields.CharField(max_length=200, null=True)
    outcome = fields.CharField(max_length=16, null=True)  # models.visits.VisitOutcome; staff and cases: models.visits
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "mediation_visit"
        indexes = [("village_id", "at")]
