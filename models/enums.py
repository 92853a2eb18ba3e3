"""Enumerations shared by the models, the import format, the rules and the GraphQL schema."""

from __future__ import annotations

from enum import StrEnum


class TownshipKind(StrEnum):
    TOWNSHIP = "TOWNSHIP"  # 乡
    TOWN = "TOWN"  # 镇
    SUBDISTRICT = "SUBDISTRICT"  # 街道


class VillageKind(StrEnum):
    VILLAGE = "VILLAGE"  # 村
    COMMUNITY = "COMMUNITY"  # 社区


class Role(StrEnum):
    BUREAU_HEAD = "BUREAU_HEAD"  # 县信访局主要负责同志
    BUREAU_LEADER = "BUREAU_LEADER"  # 领导班子成员
    BUREAU_STAFF = "BUREAU_STAFF"  # 业务人员
    CHIEF_CONVENER = "CHIEF_CONVENER"  # 联席会议总召集人
    CONVENER = "CONVENER"  # 召集人
    GRID_WORKER = "GRID_WORKER"  # 网格员
    HOUSEHOLD_HEAD = "HOUSEHOLD_HEAD"  # 联户长
    PARTY_GROUP_LEADER = "PARTY_GROUP_LEADER"  # 党小组长


BUREAU_ROLES = frozenset({Role.BUREAU_HEAD, Role.BUREAU_LEADER, Role.BUREAU_STAFF})
SUPERVISING_ROLES = frozenset({Role.BUREAU_HEAD, Role.BUREAU_LEADER})  # who may be assigned a township (分片联系)


class MeetingKind(StrEnum):
    THEMATIC = "THEMATIC"  # 专题会
    PLENARY = "PLENARY"  # 全体会


class MeetingStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    HELD = "HELD"
    CANCELLED = "CANCELLED"


class CaseKind(StrEnum):
    DISPUTE = "DISPUTE"  # 矛盾纠纷
    PETITION = "PETITION"  # 信访事项


class CaseLevel(StrEnum):
    VILLAGE = "VILLAGE"
    TOWNSHIP = "TOWNSHIP"
    COUNTY = "COUNTY"


LEVEL_RANK = {CaseLevel.VILLAGE: 0, CaseLevel.TOWNSHIP: 1, CaseLevel.COUNTY: 2}


class CaseCategory(StrEnum):
    NEIGHBOUR = "NEIGHBOUR"  # 邻里
    MARRIAGE_FAMILY = "MARRIAGE_FAMILY"  # 婚恋家庭
    LAND = "LAND"  # 土地
    INFRASTRUCTURE = "INFRASTRUCTURE"  # 基础设施施工
    POLICY = "POLICY"  # 政策不理解
    ROAD_SAFETY = "ROAD_SAFETY"  # 道路安全隐患
    HISTORICAL = "HISTORICAL"  # 历史遗留
    OTHER = "OTHER"


class CaseChannel(StrEnum):
    HOME_VISIT = "HOME_VISIT"  # 入户走访
    COURTYARD_MEETING = "COURTYARD_MEETING"  # 院坝会
    MASS_MEETING = "MASS_MEETING"  # 群众会
    PARTY_BRANCH_MEETING = "PARTY_BRANCH_MEETING"  # 支部党员大会
    HOUSEHOLD_CHAT = "HOUSEHOLD_CHAT"  # 联户长微信群
    ONLINE = "ONLINE"  # 线上
    WALK_IN = "WALK_IN"  # 接待窗口
    LETTER = "LETTER"  # 来信



class CaseStatus(StrEnum):
    # Derived from the event timeline (see models.cases.derive_status).

    REPORTED = "REPORTED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


OPEN_CASE_STATUSES = frozenset({CaseStatus.REPORTED, CaseStatus.ACCEPTED})  # 未办结: the one definition of an open case


class CaseEventType(StrEnum):
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    ESCALATED = "ESCALATED"
    EXTENDED = "EXTENDED"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"
    REOPENED = "REOPENED"


class CaseOutcome(StrEnum):
    MEDIATED = "MEDIATED"  # 调解成功
    SETTLED = "SETTLED"  # 协调解决 / 办结
    EXPLAINED = "EXPLAINED"  # 解释说明（政策解读）
    REFERRED = "REFERRED"  # 转交其他途径（诉讼、仲裁）
    WITHDRAWN = "WITHDRAWN"  # 撤回
    FAILED = "FAILED"  # 调解不成


SUCCESSFUL_OUTCOMES = frozenset(
    {CaseOutcome.MEDIATED, CaseOutcome.SETTLED, CaseOutcome.EXPLAINED, CaseOutcome.WITHDRAWN}
)



class Severity(StrEnum):
    VIOLATION = "VIOLATION"
    WARNING = "WARNING"
    NOTICE = "NOTICE"  # early warning (黄牌)


class AlertStatus(StrEnum):
    OPEN = "OPEN"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    RESOLVED = "RESOLVED"
    WAIVED = "WAIVED"


class TokenRole(StrEnum):
    ADMIN = "ADMIN"
    BUREAU = "BUREAU"
    TOWNSHIP = "TOWNSHIP"
    VILLAGE = "VILLAGE"
    AUDITOR = "AUDITOR"


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # not sent yet, or waiting for its next retry
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"  # retry horizon passed without a successful delivery


class AlertEventKind(StrEnum):
    # What happened to an alert, as subscribers and webhook receivers are told.
    RAISED = "RAISED"
    REOPENED = "REOPENED"
    RESOLVED = "RESOLVED"
    ESCALATED = "ESCALATED"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    WAIVED = "WAIVED"
