"""The append-only audit trail: who changed what, when, before and after."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AuditEntry(Model):
    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField()
    actor = fields.CharField(max_length=128)  # token name (or "cli:<user>")
    token_id = fields.IntField(null=True)
    action = fields.CharField(max_length=64)  # e.g. load, recordMeeting, acknowledgeAlert
    entity = fields.CharField(max_length=32)
    entity_key = fields.CharField(max_length=128, null=True)
    county_code = fields.CharField(max_length=6, null=True)
    before = fields.JSONField(null=True)
    after = fields.JSONField(null=True)

    class Meta:
        table = "audit_entry"
        indexes = [("entity", "entity_key"), ("at",), ("county_code", "id")]
        ordering = ["id"]
