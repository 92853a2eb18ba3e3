"""Disputes and petition items, their parties (personal data) and the append-only event timeline.

`status` and `level` are caches of what the timeline says (`rules.case_timeline.derive_state`); the events are the truth.
"""

from __future__ import annotations


from tortoise import fields
from tortoise.models import Model

from models.enums import (
    CaseCategory,
    CaseChannel,
    CaseEventType,
    CaseKind,
    CaseLevel,
    CaseOutcome,
    CaseStatus,
)


class Case(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=64, unique=True)
    kind = fields.CharEnumField(CaseKind, max_length=16)
    category = fields.CharEnumField(CaseCategory, max_length=24)
    channel = fields.CharEnumField(CaseChannel, max_length=24)
    village: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.Village", related_name="cases", on_delete=fields.RESTRICT
    )
    township: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.Township", related_name="cases", on_delete=fields.RESTRICT
    )
    reported_level = fields.CharEnumField(CaseLevel, max_length=16)
    level = fields.CharEnumField(CaseLevel, max_length=16)
    status = fields.CharEnumField(CaseStatus, max_length=16, default=CaseStatus.REPORTED)
    reported_at = fields.DatetimeField()
    title = fields.CharField(max_length=200)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "case"
        indexes = [("township_id", "status"), ("village_id", "reported_at")]
        ordering = ["reported_at", "id"]


class CaseParty(Model):
    # A party to a case: personal information, masked for roles that do not need it.

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "lianxi.Case", related_name="parties", on_delete=fields.CASCADE
    )
    position = fields.IntField()
    name = fields.CharField(max_length=64)
    phone = fields.CharField(max_length=32, null=True)
    id_number = fields.CharField(max_length=18, null=True)

    class Meta:
        table = "case_party"
        unique_together = (("case", "position"),)
        ordering = ["position"]


class CaseEvent(Model):
    # One entry of a case's timeline; never updated or deleted (append-only).

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "lianxi.Case", related_name="events", on_delete=fields.CASCADE
    )
    seq = fields.IntField()
    type = fields.CharEnumField(CaseEventType, max_length=16)
    at = fields.DatetimeField()
    to_level = fields.CharEnumField(CaseLevel, max_length=16, null=True)
    days = fields.IntField(null=True)
    approver = fields.ForeignKeyField("lianxi.Person", null=True, related_name="approved_events", on_delete=fields.RESTRICT)
    outcome = fields.CharEnumField(CaseOutcome, max_length=16, null=True)
    note = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "case_event"
        unique_together = (("case", "seq"),)
        ordering = ["seq"]
