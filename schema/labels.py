"""Chinese labels and English descriptions of every enum value the API shows: one table for the schema docs,
the `enumLabels` query and the report texts ("状态 已登记，层级 乡镇" instead of raw values)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

# enum name → value → (中文 label, English description)
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "TownshipKind": {
        "TOWNSHIP": ("乡", "A rural township (乡)."),
        "TOWN": ("镇", "A town (镇)."),
        "SUBDISTRICT": ("街道", "An urban subdistrict (街道)."),
    },
    "VillageKind": {
        "VILLAGE": ("村", "An administrative village (行政村)."),
        "COMMUNITY": ("社区", "An urban residents' community (社区)."),
    },
    "Role": {
        "BUREAU_HEAD": ("县信访局主要负责同志", "Head of the county petition bureau; receives violations and escalations."),
        "BUREAU_LEADER": ("领导班子成员", "Bureau leadership member; assigned townships to supervise (分片联系)."),
        "BUREAU_STAFF": ("业务人员", "Bureau business staff; attends supervision visits with a leader."),
        "CHIEF_CONVENER": ("总召集人", "Chief convener of a township joint meeting (party secretary or head)."),
        "CONVENER": ("召集人", "Convener of a township joint meeting (political-legal committee member)."),
        "GRID_WORKER": ("网格员", "Grid worker: one per grid."),
        "HOUSEHOLD_HEAD": ("联户长", "Household-group head: one per household group."),
        "PARTY_GROUP_LEADER": ("党小组长", "Leader of a village party group."),
    },
    "MeetingKind": {
        "THEMATIC": ("专题会", "Thematic meeting: two are required each month."),
        "PLENARY": ("全体会", "Plenary meeting: one is required each quarter."),
    },
    "MeetingStatus": {
        "SCHEDULED": ("已安排", "Planned, not held yet; does not count."),
        "HELD": ("已召开", "Held; only held meetings count."),
        "CANCELLED": ("已取消", "Cancelled; does not count (the reason is audited)."),
    },
    "CaseKind": {
        "DISPUTE": ("矛盾纠纷", "A dispute between residents."),
        "PETITION": ("信访事项", "A petition item under the Petition Work Regulations (信访工作条例)."),
    },
    "CaseLevel": {
        "VILLAGE": ("村级", "Handled by the village (小事不出村)."),
        "TOWNSHIP": ("乡镇", "Handled by the township centre (大事不出镇)."),
        "COUNTY": ("县级", "Handled by the county (矛盾不上交 has failed)."),
    },
    "CaseCategory": {
        "NEIGHBOUR": ("邻里纠纷", "Between neighbours."),
        "MARRIAGE_FAMILY": ("婚恋家庭", "Marriage and family."),
        "LAND": ("土地", "Land and forest rights."),
        "INFRASTRUCTURE": ("基础设施施工", "Infrastructure construction."),
        "POLICY": ("政策不理解", "A policy misunderstood."),
        "ROAD_SAFETY": ("道路安全隐患", "A road-safety hazard."),
        "HISTORICAL": ("历史遗留", "A problem left over from history."),
        "OTHER": ("其他", "Anything else."),
    },
    "CaseChannel": {
        "HOME_VISIT": ("入户走访", "Found on a home visit."),
        "COURTYARD_MEETING": ("院坝会", "Raised at a courtyard meeting."),
        "MASS_MEETING": ("群众会", "Raised at a mass meeting."),
        "PARTY_BRANCH_MEETING": ("支部党员大会", "Raised at a party-branch meeting."),
        "HOUSEHOLD_CHAT": ("联户长微信群", "Reported in a household-head group chat (online)."),
        "ONLINE": ("线上", "Reported online."),
        "WALK_IN": ("接待窗口", "At the reception window in person."),
        "LETTER": ("来信", "By letter."),
    },
    "CaseStatus": {
        "REPORTED": ("已登记", "Reported; open."),
        "ACCEPTED": ("已受理", "A petition accepted; open until resolved."),
        "REJECTED": ("不予受理", "A petition not accepted."),
        "RESOLVED": ("已化解", "Resolved with an outcome."),
        "CLOSED": ("已办结", "Closed."),
    },
    "CaseEventType": {
        "ACCEPTED": ("受理", "A petition was accepted (written notice within 15 days)."),
        "REJECTED": ("不予受理", "A petition was not accepted."),
        "ESCALATED": ("上报", "Reported to a higher level (toLevel)."),
        "EXTENDED": ("延期", "Time limit extended (days, approver; 30 days at most in all)."),
        "RESOLVED": ("化解", "Resolved (outcome)."),
        "CLOSED": ("办结", "Closed."),
        "REOPENED": ("重新办理", "Reopened."),
    },
    "CaseOutcome": {
        "MEDIATED": ("调解成功", "Mediated successfully."),
        "SETTLED": ("协调解决", "Settled by coordination."),
        "EXPLAINED": ("解释说明", "Explained (policy interpretation)."),
        "REFERRED": ("转交其他途径", "Referred to litigation or arbitration."),
        "WITHDRAWN": ("撤回", "Withdrawn by the party."),
        "FAILED": ("调解不成", "Mediation failed."),
    },
    "Severity": {
        "VIOLATION": ("违规", "A rule was broken; the bureau head is notified too."),
        "WARNING": ("警告", "Something to put right."),
        "NOTICE": ("黄牌预警", "Early warning: a deadline or a monthly requirement is near, nothing is missed yet; resolves once acted on."),
    },
    "AlertStatus": {
        "OPEN": ("待处理", "Raised and not acknowledged."),
        "ACKNOWLEDGED": ("已签收", "Acknowledged by the bureau; still holds."),
        "RESOLVED": ("已解除", "The finding no longer holds (auto-resolved)."),
        "WAIVED": ("已豁免", "An approved exception, with reason and expiry."),
    },
    "AlertEventKind": {
        "RAISED": ("新预警", "A new alert."),
        "REOPENED": ("重新预警", "A resolved alert holds again."),
        "RESOLVED": ("解除", "The finding no longer holds."),
        "ESCALATED": ("升级", "Not acknowledged in time: escalated to the bureau head."),
        "ACKNOWLEDGED": ("签收", "Acknowledged."),
        "WAIVED": ("豁免", "Waived."),
    },
    "DeliveryStatus": {
        "PENDING": ("待发送", "Not sent yet, or waiting for its next retry."),
        "DELIVERED": ("已送达", "The receiver accepted it."),
        "FAILED": ("发送失败", "Retried until the retry horizon without success."),
    },
    "ComplianceState": {
        "MET": ("达标", "The requirement was met."),
        "MISSED": ("未达标", "The requirement was missed."),
        "NOT_REQUIRED": ("不要求", "Not required (before supervision or the joint meeting started)."),
    },
    "VisitOutcome": {
        "MEDIATED": ("调解成功", "The dispute was mediated successfully on the visit."),
        "PARTIAL": ("部分达成", "Part of the dispute was agreed; the rest remains open."),
        "FOLLOW_UP": ("需再次走访", "Another visit is needed."),
        "FAILED": ("调解不成", "Mediation failed."),
        "INFORMATION": ("排查宣传", "A screening or publicity visit; no dispute was mediated."),
    },
    "RotationGapReason": {
        "NO_SCHEDULED_MEETING": ("无已安排专题会", "The township has no SCHEDULED thematic meeting in the month: schedule one."),
        "NO_LEADER_AVAILABLE": ("无可用领导", "No bureau leader or head is available on any of its meeting days."),
        "NO_STAFF_AVAILABLE": ("无可用业务人员", "No bureau staff member is available on any of its meeting days."),
        "NO_CAPACITY": ("人员已排满", "People are free, but the leader cap or same half-day clashes leave nobody: move the meeting or raise the cap."),
        "UNSOLVED": ("未能求解", "The planner found no plan within its deterministic work limit (or the month cannot be planned): the township is left as a gap with the solver's status; plan it by hand."),
    },
    "UnitKind": {
        "COUNTY": ("县", "A county (bureau roles are held here)."),
        "TOWNSHIP": ("乡镇街道", "A township, town or subdistrict (conveners are held here)."),
        "VILLAGE": ("村/社区", "A village or community, under a township."),
        "GRID": ("网格", "A grid under a village; one grid worker (网格员) per grid."),
        "HOUSEHOLD_GROUP": ("联户", "A household group under a grid; one household head (联户长) per group."),
        "PARTY_GROUP": ("党小组", "A party group under a village; one party-group leader (党小组长) per group."),
    },
    "ErrorCode": {
        "INVALID": ("输入无效", "An input value is malformed or out of range."),
        "NOT_FOUND": ("不存在", "A referenced record does not exist (or is outside the token's jurisdiction)."),
        "CONFLICT": ("冲突", "The write collides with an existing record (duplicate number, overlapping assignment)."),
        "INVALID_STATE": ("状态不允许", "The record's current state does not allow this change."),
        "EARLIER_THAN_LATEST_RUN": (
            "早于最近一次检查",
            "A writing check at an as-of earlier than the county's latest one: the live alert state moves forward only "
            "(look at the past with ruleReport; rebuild history with `lianxi replay`).",
        ),
        "FUTURE_AS_OF": (
            "晚于当前时间",
            "A writing check at an as-of after the present (the county's local now): only reports (ruleReport) may look ahead.",
        ),
        "FORBIDDEN": ("无权限", "The token's role or jurisdiction does not allow this write."),
    },
}


def label(enum_name: str, value: str | Enum | None) -> str:
    """The Chinese label of an enum value (the raw value when none is known; "" for None)."""
    if value is None:
        return ""
    raw = value.value if isinstance(value, Enum) else str(value)
    return LABELS.get(enum_name, {}).get(raw, (raw, ""))[0]


@strawberry.type(description="The Chinese label of one enum value (枚举中文名称), for display.")
class EnumLabel:
    enum: str = strawberry.field(description="The GraphQL enum's name, e.g. CaseStatus.")
    value: str = strawberry.field(description="The value as the API sends it, e.g. REPORTED.")
    label: str = strawberry.field(description="Its Chinese label, e.g. 已登记.")
    description: str = strawberry.field(description="What it means, in English.")


def enum_labels(enum: str | None = None) -> list[EnumLabel]:
    """Every enum value with its label, optionally of one enum."""
    return [
        EnumLabel(enum=name, value=value, label=zh, description=en)
        for name, values in LABELS.items() if enum is None or name == enum
        for value, (zh, en) in values.items()
    ]


@strawberry.type
class LabelsQuery:
    @strawberry.field(description="Chinese labels (中文名称) of every enum value; with `enum`, of that enum only.")
    def enum_labels(
        self, enum: Annotated[str | None, strawberry.argument(description="An enum's name, e.g. CaseStatus.")] = None
    ) -> list[EnumLabel]:
        return enum_labels(enum)
