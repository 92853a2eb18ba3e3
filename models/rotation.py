"""The rotation planner's inputs that are not elsewhere: days a bureau member cannot attend a meeting."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Unavailability(Model):
    # A bureau member away from `first_day` to `last_day` (inclusive, county-local days).

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.Person", related_name="unavailability", on_delete=fields.CASCADE
    )
    county: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lianxi.County", related_name="unavailability", on_delete=fields.CASCADE
    )
    first_day = fields.DateField()
    last_day = fields.DateField()
    reason = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "unavailability"
        indexes = [("county_id", "first_day"), ("person_id",)]
        ordering = ["first_day", "id"]
