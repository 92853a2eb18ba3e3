"""The administrative hierarchy: county → township → village → grid → household group, and party groups.

`code` is every unit's natural key (statistical division codes; grids and household groups
extend their parent's code). Parent links are real foreign keys so a unit cannot be orphaned.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.enums import TownshipKind, VillageKind


class County(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=6, unique=True)
    name = fields.CharField(max_length=64)
    timezone = fields.CharField(max_length=64, default="Asia/Shanghai")
    # The day from which the county's records in Lianxi are complete: periods starting before it are not
    # evaluated (DESIGN §2). None: each township from its joint meeting's establishment.
    supervised_from = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "county"
        ordering = ["code"]


class Township(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=9, unique=True)
    name = fields.CharField(max_length=64)
    kind = fields.CharEnumField(TownshipKind, max_length=16)
    county: fields.ForeignKeyRelation[County] = fields.ForeignKeyField(
        "lianxi.County", related_name="townships", on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "township"
        ordering = ["code"]
        indexes = [("county_id",)]  # children by parent: the tree and the facts read level by level


class JointMeeting(Model):
    # A township's petition-work joint meeting (信访工作联席会议); conveners are role assignments.

    id = fields.IntField(primary_key=True)
    township: fields.OneToOneRelation[Township] = fields.OneToOneField(
        "lianxi.Township", related_name="joint_meeting", on_delete=fields.CASCADE
    )
    established_on = fields.DateField()

    class Meta:
        table = "joint_meeting"


class Village(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=12, unique=True)
    name = fields.CharField(max_length=64)
    kind = fields.CharEnumField(VillageKind, max_length=16)
    township: fields.ForeignKeyRelation[Township] = fields.ForeignKeyField(
        "lianxi.Township", related_name="villages", on_delete=fields.RESTRICT
    )
    households = fields.IntField(default=0)
    population = fields.IntField(default=0)
    groups = fields.IntField(default=0)  # 村民小组
    retired_on = fields.DateField(null=True)  # merged or dissolved from this day (kept for history)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "village"
        ordering = ["code"]
        indexes = [("township_id",)]  # children by parent: the tree and the facts read level by level


class Grid(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=16, unique=True)
    name = fields.CharField(max_length=64)
    village: fields.ForeignKeyRelation[Village] = fields.ForeignKeyField(
        "lianxi.Village", related_name="grids", on_delete=fields.RESTRICT
    )
    retired_on = fields.DateField(null=True)  # merged or dissolved from this day (kept for history)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "grid"
        ordering = ["code"]
        indexes = [("village_id",)]  # children by parent: the tree and the facts read level by level


class HouseholdGroup(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=20, unique=True)
    grid: fields.ForeignKeyRelation[Grid] = fields.ForeignKeyField(
        "lianxi.Grid", related_name="household_groups", on_delete=fields.RESTRICT
    )
    households = fields.IntField(default=0)
    retired_on = fields.DateField(null=True)  # merged or dissolved from this day (kept for history)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "household_group"
        ordering = ["code"]
        indexes = [("grid_id",)]  # children by parent: the tree and the facts read level by level


class PartyGroup(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=20, unique=True)
    name = fields.CharField(max_length=64)
    village: fields.ForeignKeyRelation[Village] = fields.ForeignKeyField(
        "lianxi.Village", related_name="party_groups", on_delete=fields.RESTRICT
    )
    retired_on = fields.DateField(null=True)  # merged or dissolved from this day (kept for history)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "party_group"
        ordering = ["code"]
        indexes = [("village_id",)]  # children by parent: the tree and the facts read level by level
