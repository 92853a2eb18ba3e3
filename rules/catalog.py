"""The rule catalog (DESIGN §2): every rule's id, version, severity, texts, legal basis and default parameters.

The ids and defaults are a contract shared with the API and the acceptance checks; the
decisions themselves live in the durable-rules rulesets (`rules.rulesets`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from models.enums import Severity

ParamValue = int
Parameters = Mapping[str, ParamValue]

PERIOD_MONTH = "month"
PERIOD_QUARTER = "quarter"


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    name: str
    default: ParamValue
    minimum: int
    maximum: int
    description: str


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    version: int
    severity: Severity | None  # None: the rule escalates existing alerts instead of raising its own
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    basis: str
    subject: str  # township | case | grid | household_group | alert
    period: str | None  # month | quarter | None
    parameters: tuple[ParameterSpec, ...] = field(default_factory=tuple)

    @property
    def defaults(self) -> dict[str, ParamValue]:
        return {p.name: p.default for p in self.parameters}

    @property
    def raises_alerts(self) -> bool:
        return self.severity is not None

    def parameter(self, name: str) -> ParameterSpec | None:
        return next((p for p in self.parameters if p.name == name), None)


_CADENCE_BASIS = "按照“一月两次专题会、一季度一次全体会”的时间节点召开信访工作联席会议（罗甸县，2023）"
_SUPERVISION_BASIS = (
    "每月按照“领导班子成员+业务人员”的队伍到各乡（镇、街道）参加信访工作联席会议专题会，"
    "现场督导指导，实现专题会现场督导全覆盖（罗甸县信访局，2023）"
)
_ROSTER_BASIS = "村级网格1244个，配备网格员1244人；共设置联户6977个，配备联户长6977人（“党小组+网格员+联户长”体系）"

RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        id="cadence.thematic_monthly",
        version=1,
        severity=Severity.VIOLATION,
        title_zh="每月专题会不足",
        title_en="Too few thematic meetings in a month",
        description_zh="一个已结束的自然月内，乡镇联席会议实际召开（HELD）的专题会少于 N 次。",
        description_en="Fewer than N HELD thematic meetings of the township joint meeting in a closed calendar month.",
        basis=_CADENCE_BASIS,
        subject="township",
        period=PERIOD_MONTH,
        parameters=(ParameterSpec("N", 2, 1, 31, "每月至少召开的专题会次数 / minimum thematic meetings per month"),),
    ),
    RuleSpec(
        id="cadence.plenary_quarterly",
        version=1,
        severity=Severity.VIOLATION,
        title_zh="每季度全体会不足",
        title_en="Too few plenary meetings in a quarter",
        description_zh="一个已结束的季度内，乡镇联席会议实际召开（HELD）的全体会少于 N 次。",
        description_en="Fewer than N HELD plenary meetings of the township joint meeting in a closed quarter.",
        basis=_CADENCE_BASIS,
        subject="township",
        period=PERIOD_QUARTER,
        parameters=(ParameterSpec("N", 1, 1, 92, "每季度至少召开的全体会次数 / minimum plenaries per quarter"),),
    ),
    RuleSpec(
        id="supervision.monthly_coverage",
        version=1,
        severity=Severity.VIOLATION,
        title_zh="专题会现场督导未覆盖",
        title_en="Thematic meetings not supervised this month",
        description_zh="当月没有任何一次实际召开的专题会同时有县信访局领导班子成员（或主要负责同志）和业务人员出席。",
        description_en=(
            "No HELD thematic meeting in the month was attended by both a bureau leadership member "
            "(or the head) and a bureau staff member."
        ),
        basis=_SUPERVISION_BASIS,
        subject="township",
        period=PERIOD_MONTH,
        parameters=(ParameterSpec("leader_cap", 3, 1, 31, "轮值计划中每位领导每月最多督导的专题会 / most thematic meetings the rotation planner gives one leader a month"),),
    ),
    RuleSpec(
        id="supervision.assigned_leader",
        version=2,
        severity=Severity.WARNING,
        title_zh="督导人非分片联系领导",
        title_en="Supervised by a leader not assigned to the township",
        description_zh="当月专题会督导已覆盖，但没有一次督导会议有会议当日分片联系该乡镇的领导班子成员出席。",
        description_en=(
            "Coverage was met, but no covering meeting was attended by a leader assigned to that township on "
            "that meeting's day."
        ),
        basis="领导班子成员分片联系督导乡（镇、街道）信访工作联席会议（罗甸县信访局，2023）",
        subject="township",
        period=PERIOD_MONTH,
    ),
    RuleSpec(
        id="case.overdue",
        version=2,
        severity=Severity.VIOLATION,
        title_zh="案件办理超期",
        title_en="Case past its due time",
        description_zh=(
            "未办结案件超过办理期限：矛盾纠纷自登记之日起 D 日；信访事项自受理之日起 60 日，"
            "经批准可延长，延长不超过 30 日。期间开始之日不计入，期限最后一日为法定节假日的顺延。"
        ),
        description_en=(
            "An open case is past its due time: a dispute D days after it was reported; a petition 60 days "
            "after acceptance plus approved extensions (at most 30 days). The start day is not counted; a "
            "last day on a holiday moves to the next working day."
        ),
        basis="《信访工作条例》（2022）第三十四条；《民法典》第二百零一条、第二百零三条",
        subject="case",
        period=None,
        parameters=(
            ParameterSpec("D", 30, 1, 365, "矛盾纠纷办理期限（日）/ dispute handling days"),
            ParameterSpec("petition_days", 60, 1, 365, "信访事项办理期限（日）/ petition handling days"),
            ParameterSpec("max_extension_days", 30, 0, 365, "延长期限上限（日）/ extension cap in days"),
        ),
    ),
    RuleSpec(
        id="case.acceptance_overdue",
        version=2,
        severity=Severity.VIOLATION,
        title_zh="信访事项受理告知超期",
        title_en="Petition not accepted or rejected in time",
        description_zh="信访事项自登记之日起 15 日内既未受理也未不予受理。",
        description_en="A petition item was neither accepted nor rejected within 15 days of being reported.",
        basis="《信访工作条例》（2022）第二十三条（15日内书面告知是否受理）",
        subject="case",
        period=None,
        parameters=(ParameterSpec("days", 15, 1, 365, "受理告知期限（日）/ acceptance notice days"),),
    ),
    RuleSpec(
        id="case.village_escalation",
        version=2,
        severity=Severity.WARNING,
        title_zh="村级矛盾纠纷久未上报",
        title_en="Village dispute open too long without escalation",
        description_zh="村级未化解的矛盾纠纷登记已超过 E 日，且从未上报乡镇综治中心。",
        description_en="An open village-level dispute is older than E days and was never escalated.",
        basis="“小事不出村、大事不出镇、矛盾不上交”；化解不了的及时向镇级综治中心反映（《信访工作条例》第十五条）",
        subject="case",
        period=None,
        parameters=(ParameterSpec("E", 15, 1, 365, "村级处置时限（日）/ village handling days"),),
    ),
    RuleSpec(
        id="case.due_soon",
        version=2,
        severity=Severity.NOTICE,
        title_zh="案件期限临近（黄牌）",
        title_en="Case deadline coming up (early warning)",
        description_zh=(
            "未办结案件的下一个期限（办理期限、受理告知期限或村级处置期限）的最后一日不晚于检查时点当日后第 W 日"
            "（按日计算：L − d ≤ W，不是 W×24 小时）。"
            "案件推进（受理、上报、办结）或期限届满（由相应的违规预警接替）后自动解除。"
        ),
        description_en=(
            "An open case's next deadline (handling, acceptance notice or village escalation) has its last day L at "
            "most W days after the as-of's local day d (L − d ≤ W, counted in days, not W×24 h). Resolves when the case moves on or the deadline passes (the violation then takes over)."
        ),
        basis="《信访工作条例》（2022）第二十三条、第三十四条；预警提醒（黄牌），DESIGN §2",
        subject="case",
        period=None,
        parameters=(ParameterSpec("W", 5, 1, 60, "提前预警天数 / warning window in days"),),
    ),
    RuleSpec(
        id="cadence.thematic_at_risk",
        version=2,
        severity=Severity.NOTICE,
        title_zh="本月专题会进度不足（黄牌）",
        title_en="This month's thematic meetings at risk (early warning)",
        description_zh=(
            "当前（未结束的）自然月在检查时点当日之后剩余不超过 R 日（6月23日检查：剩7日），已召开和已安排的专题会合计仍少于每月要求的 N 次"
            "（N 取 cadence.thematic_monthly 的参数）。安排会议或该月结束后自动解除。"
        ),
        description_en=(
            "In the current (open) month, with R days or fewer left after the as-of's local day (June, as-of on the "
            "23rd: 7 days left), fewer than N thematic meetings are HELD or "
            "SCHEDULED (N is cadence.thematic_monthly's). Resolves when meetings are scheduled or the month closes."
        ),
        basis=_CADENCE_BASIS,
        subject="township",
        period=PERIOD_MONTH,
        parameters=(ParameterSpec("R", 7, 1, 31, "月末预警天数 / days left in the month"),),
    ),
    RuleSpec(
        id="roster.grid_worker_missing",
        version=1,
        severity=Severity.WARNING,
        title_zh="网格缺网格员",
        title_en="Grid without a grid worker",
        description_zh="网格在检查时点没有在岗的网格员。",
        description_en="A grid has no grid worker in office at the as-of date.",
        basis=_ROSTER_BASIS,
        subject="grid",
        period=None,
    ),
    RuleSpec(
        id="roster.household_head_missing",
        version=1,
        severity=Severity.WARNING,
        title_zh="联户缺联户长",
        title_en="Household group without a head",
        description_zh="联户在检查时点没有在岗的联户长。",
        description_en="A household group has no household head in office at the as-of date.",
        basis=_ROSTER_BASIS,
        subject="household_group",
        period=None,
    ),
    RuleSpec(
        id="alert.unacknowledged",
        version=2,
        severity=None,
        title_zh="预警逾期未签收",
        title_en="Alert not acknowledged in time",
        description_zh="未签收的预警自发出之日起 A 日（发出当日不计入，至第 A 日 24 时）内未签收，升级至县信访局主要负责同志（不产生新预警）。",
        description_en=(
            "An open alert not acknowledged within A calendar days (the raise day not counted, ending 24:00 local) "
            "is escalated to the bureau head (no new alert)."
        ),
        basis="本系统督办规则（DESIGN §2）：逾期未签收的预警升级至县信访局主要负责同志",
        subject="alert",
        period=None,
        parameters=(ParameterSpec("A", 3, 1, 365, "签收时限（日）/ acknowledgement days"),),
    ),
)

CATALOG: Mapping[str, RuleSpec] = MappingProxyType({rule.id: rule for rule in RULES})
PERIOD_RULES = frozenset(rule.id for rule in RULES if rule.period is not None)
CASE_RULES = frozenset(rule.id for rule in RULES if rule.subject == "case")


def default_parameters() -> dict[str, dict[str, ParamValue]]:
    """Every rule's default parameters, keyed by rule id (the base that county overrides patch)."""
    return {spec.id: spec.defaults for spec in RULES}


def rule_versions() -> dict[str, int]:
    """The version of every rule, recorded by each run so a finding can be traced to its rule text."""
    return {spec.id: spec.version for spec in RULES}
