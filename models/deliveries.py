"""The webhook outbox: one row per (alert change, receiver), written in the alert change's transaction."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.enums import DeliveryStatus


class WebhookDelivery(Model):
    # A notification owed to one receiver. The worker sends it, retries it with backoff until it
    # is delivered or its retry horizon passes, and records every attempt's outcome here.

    id = fields.IntField(primary_key=True)
    alert = fields.ForeignKeyField("lianxi.Alert", related_name="deliveries", on_delete=fields.CASCADE)
    county_code = fields.CharField(max_length=6)
    receiver = fields.CharField(max_length=64)  # the receiver's name in LIANXI_WEBHOOKS_CONFIG
    receiver_kind = fields.CharField(max_length=16)  # ALERTMANAGER, WECOM, DINGTALK
    event = fields.CharField(max_length=16)  # RAISED, RESOLVED, ESCALATED, ...
    payload = fields.JSONField()
    status = fields.CharEnumField(DeliveryStatus, max_length=16, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    created_at = fields.DatetimeField()
    next_attempt_at = fields.DatetimeField()
    give_up_at = fields.DatetimeField()
    last_attempt_at = fields.DatetimeField(null=True)
    last_status_code = fields.IntField(null=True)
    last_error = fields.TextField(null=True)
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_delivery"
        indexes = [("status", "next_attempt_at"), ("alert_id", "id")]
        ordering = ["id"]
