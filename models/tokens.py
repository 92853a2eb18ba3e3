"""API bearer tokens: only a hash is stored; the clear token is shown once when created."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.enums import TokenRole


class ApiToken(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128)
    role = fields.CharEnumField(TokenRole, max_length=16)
    scope_code = fields.CharField(max_length=20, null=True)
    lookup = fields.CharField(max_length=16, unique=True)  # public prefix used to find the row
    token_hash = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"
