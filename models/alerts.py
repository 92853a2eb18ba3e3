"""Alerts (rule findings with a lifecycle, identified by fingerprint) and the record of every rule run."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.enums import AlertStatus, Severity


class RuleRun(Model):
    # One evaluation of the rule catalog: what it used, what it found, how long it took.

    id = fields.IntField(primary_key=True)
    county = fields.ForeignKeyField("lianxi.County", null=True, related_name="rule_runs", on_delete=fields.CASCADE)
    trigger = fields.CharField(max_length=16)  # SWEEP, MANUAL, WRITE, REPORT, STARTUP
    scope = fields.JSONField(default=dict)
    as_of = fields.DatetimeField()
    started_at = fields.DatetimeField()
    duration_ms = fields.FloatField(default=0)
    parameters = fields.JSONField(default=dict)
    rule_versions = fields.JSONField(default=dict)
    counts = fields.JSONField(default=dict)
    errors = fields.JSONField(default=list)
    actor = fields.CharField(max_length=128, null=True)
    digest = fields.CharField(max_length=64, null=True)  # SHA-256 of a report's findings (trigger REPORT)

    class Meta:
        table = "rule_run"
        ordering = ["-id"]


class Alert(Model):
    id = fields.IntField(primary_key=True)
    fingerprint = fields.CharField(max_length=200, unique=True)
    rule_id = fields.CharField(max_length=64)
    rule_version = fields.IntField(default=1)
    severity = fields.CharEnumField(Severity, max_length=16)
    status = fields.CharEnumField(AlertStatus, max_length=16, default=AlertStatus.OPEN)
    county = fields.ForeignKeyField("lianxi.County", related_name="alerts", on_delete=fields.CASCADE)
    township = fields.ForeignKeyField("lianxi.Township", null=True, related_name="alerts", on_delete=fields.CASCADE)
    subject_code = fields.CharField(max_length=64)
    period = fields.CharField(max_length=16, null=True)
    message = fields.TextField()
    evidence = fields.JSONField(default=dict)
    assignee = fields.ForeignKeyField("lianxi.Person", null=True, related_name="alerts_assigned", on_delete=fields.SET_NULL)
    notify_head = fields.BooleanField(default=False)
    raised_at = fields.DatetimeField()
    acknowledged_at = fields.DatetimeField(null=True)
    acknowledged_by = fields.CharField(max_length=128, null=True)
    acknowledge_note = fields.TextField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    escalated_at = fields.DatetimeField(null=True)
    waived_at = fields.DatetimeField(null=True)
    waived_by = fields.CharField(max_length=128, null=True)
    waive_reason = fields.TextField(null=True)
    waived_until = fields.DateField(null=True)
    last_run = fields.ForeignKeyField("lianxi.RuleRun", null=True, related_name="alerts", on_delete=fields.SET_NULL)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "alert"
        indexes = [("county_id", "status"), ("township_id", "status"), ("rule_id", "period")]
        ordering = ["id"]
