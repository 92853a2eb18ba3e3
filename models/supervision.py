"""The leadership rotation (分片联系): a bureau leader assigned to a township for a date range."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class SupervisionAssignment(Model):
    id = fields.IntField(primary_key=True)
    leader: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.Person", related_name="supervision_assignments", on_delete=fields.RESTRICT
    )
    township: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.Township", related_name="supervision_assignments", on_delete=fields.CASCADE
    )
    valid_from = fields.DateField()
    valid_to = fields.DateField(null=True)  # inclusive; open-ended when null
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "supervision_assignment"
        unique_together = (("leader", "township", "valid_from"),)
        indexes = [("township_id",)]
