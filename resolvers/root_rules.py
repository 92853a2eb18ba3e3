"""Who may use each root field (Query, Mutation, Subscription) and on which unit a call acts.

`ROOT_RULES` is the table and `root_refusal` applies it; `schema.root_guard.guard_root_fields` wraps
every root resolver of the built schema with it. A root field without a rule is usable by ADMIN only, and the generated role × field matrix test
fails by name until it gets one. Mutations answer a refused call with a `FORBIDDEN` user error (role,
read-only) and never run; the unit a mutation acts on, when missing or outside the jurisdiction, is
blanked so the mutation answers NOT_FOUND on it as for a missing one (`Reference`).
The jurisdiction itself (code prefixes, masking) is `resolvers.permissions`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from core.global_ids import from_global_id
from core.references import ROLE_UNIT_CODES, person_in_reach
from core.roster.units_of import CODE_RULE, PARENT_KIND, UnitKind, kind_of_code, kind_of_role, locate, parent_code
from core.viewer import Viewer
from models.alerts import Alert
from models.cases import Case
from models.enums import Role, TokenRole
from models.meetings import Meeting
from models.people import RoleAssignment
from models.rotation import Unavailability
from models.units import County, Township, Village
from resolvers.permissions import COUNTY_READERS, COUNTY_WRITERS, EVERYONE

MEETING_WRITERS = COUNTY_WRITERS | {TokenRole.TOWNSHIP}  # the township records its own meetings
CASE_WRITERS = MEETING_WRITERS | {TokenRole.VILLAGE}  # villages report and handle their own cases

Args = dict[str, Any]  # raw GraphQL arguments, keyed by their GraphQL (camelCase) names


@dataclass(frozen=True)
class RootRule:
    """Who may use a root field, and on which unit a call acts.

    roles:     token roles allowed at all (others: a FORBIDDEN error, or a FORBIDDEN user error for mutations).
    unit:      the unit code a call acts on, from its arguments (may read the database); out of scope → refused.
               Returning None means the arguments name no unit (then only `constrain` and the resolver scope it).
    constrain: rewrites the arguments into the viewer's jurisdiction, for resolvers that filter by argument.
    scoped_by: where the rows are scoped when neither of the above is used (documentation for reviewers).
    """

    roles: frozenset[TokenRole]
    unit: Callable[[Any, Args], Awaitable[str | None]] | None = None
    constrain: Callable[[Viewer, Args], Args] | None = None
    scoped_by: str = ""
    reference: Reference | None = None


@dataclass(frozen=True)
class Reference:
    """The unit a mutation acts on, named by one argument: missing and out of scope answer alike.

    When the thing is missing or outside the jurisdiction the argument is blanked (`""`, which names
    nothing) and the mutation runs: its service answers NOT_FOUND on that field together with every
    other problem of the input — exactly what a missing value gets, so no answer tells the two apart.

    field: the argument's path in the raw arguments (as in `userErrors.field`).
    code:  the unit code of the thing named (may read the database); None when there is no such thing.
    """

    field: tuple[str, ...]
    code: Callable[[Any, Args], Awaitable[str | None]]

    def blanked(self, args: Args) -> Args:
        """The arguments with this reference replaced by a value that names nothing."""
        if len(self.field) == 1:
            return {**args, self.field[0]: ""}
        outer, inner = self.field
        return {**args, outer: {**(args.get(outer) or {}), inner: ""}}


@dataclass(frozen=True)
class Refusal:
    message: str  # always FORBIDDEN: the role may not use the field, or may not write


async def _arg_county_code(info: Any, args: Args) -> str | None:
    return args.get("countyCode")


async def _existing_county(info: Any, args: Args) -> str | None:

    code = await County.filter(code=str(args.get("countyCode") or "")).values_list("code", flat=True)
    return code[0] if code else None


async def _county_of_node(kind: str, model: Any, args: Args) -> str | None:
    """The county code of the `kind` row named by the global `id` argument; None when there is none."""
    decoded = from_global_id(str(args.get("id", "")))
    if decoded is None or decoded[0] != kind:
        return None
    code = await model.filter(id=decoded[1]).values_list("county__code", flat=True)
    return code[0] if code else None


async def _alert_county_code(info: Any, args: Args) -> str | None:
    """The county of the alert named by the `id` argument; None when there is none."""
    return await _county_of_node("Alert", Alert, args)


async def _unavailability_county_code(info: Any, args: Args) -> str | None:
    """The county of the unavailability named by the `id` argument; None when there is none."""
    return await _county_of_node("Unavailability", Unavailability, args)


async def _input_township_code(info: Any, args: Args) -> str | None:

    code = await Township.filter(code=str((args.get("input") or {}).get("townshipCode") or "")).values_list("code", flat=True)
    return code[0] if code else None


async def _input_village_code(info: Any, args: Args) -> str | None:

    code = await Village.filter(code=str((args.get("input") or {}).get("villageCode") or "")).values_list("code", flat=True)
    return code[0] if code else None


async def _meeting_township_code(info: Any, args: Args) -> str | None:
    """The township of the meeting named by `id` (or `input.id`); None when there is none."""

    decoded = from_global_id(str(args.get("id") or (args.get("input") or {}).get("id") or ""))
    if decoded is None or decoded[0] != "Meeting":
        return None
    code = await Meeting.filter(id=decoded[1]).values_list("township__code", flat=True)
    return code[0] if code else None


async def _case_village_code(info: Any, args: Args) -> str | None:

    number = (args.get("input") or {}).get("caseNumber")
    code = await Case.filter(number=str(number)).values_list("village__code", flat=True) if number else []
    return code[0] if code else None


async def _input_existing_county(info: Any, args: Args) -> str | None:

    code = await County.filter(code=str((args.get("input") or {}).get("countyCode") or "")).values_list("code", flat=True)
    return code[0] if code else None


async def _input_role_unit_code(info: Any, args: Args) -> str | None:
    """The unit a role is given or handed over in (`input.unitCode`, of the kind the role is held in); None when there is none."""

    given = args.get("input") or {}
    try:
        kind = kind_of_role(Role(given.get("role")))
    except (ValueError, KeyError):
        return None
    unit = await locate(kind, str(given.get("unitCode") or ""))
    return unit.row.code if unit is not None else None  # type: ignore[attr-defined]


async def _input_parent_code(info: Any, args: Args) -> str | None:
    """The existing parent a unit is created under (`input.parentCode`, of the kind the new unit hangs from)."""

    given = args.get("input") or {}
    try:
        kind = UnitKind(given.get("kind"))
    except ValueError:
        return None
    if kind not in PARENT_KIND:
        return None  # the service answers INVALID on the kind
    parent = await locate(PARENT_KIND[kind], str(given.get("parentCode") or ""))
    return parent.row.code if parent is not None else None  # type: ignore[attr-defined]


async def _input_code_parent(info: Any, args: Args) -> str | None:
    """Renaming or retiring a unit is its parent's business: a township manages its villages, a village its grids."""

    code = str((args.get("input") or {}).get("code") or "")
    kind = kind_of_code(code)
    if kind not in CODE_RULE or await locate(kind, code) is None:  # type: ignore[arg-type]
        return None
    return parent_code(code)


async def _role_unit_code(info: Any, args: Args) -> str | None:
    """The unit of the role assignment named by `input.id`; None when there is none."""

    decoded = from_global_id(str((args.get("input") or {}).get("id") or ""))
    if decoded is None or decoded[0] != "RoleAssignment":
        return None
    rows = await RoleAssignment.filter(id=decoded[1]).values_list(*ROLE_UNIT_CODES)
    return next((code for code in rows[0] if code), None) if rows else None


async def _person_code(info: Any, args: Args) -> str | None:
    """The person named by `input.id`, when the token may name them (`person_in_reach`): a code in reach, else None."""

    decoded = from_global_id(str((args.get("input") or {}).get("id") or ""))
    if decoded is None or decoded[0] != "Person":
        return None
    viewer = info.context.viewer
    if not await person_in_reach(decoded[1], viewer):
        return None
    return viewer.scope_code or "*"  # ADMIN (no scope) sees every code


async def _own_county_code(info: Any, args: Args) -> str | None:
    """rules(countyCode): a county's parameters are for the tokens working in it (a township or village reads its county's)."""
    code = args.get("countyCode")
    viewer = info.context.viewer
    if code is not None and isinstance(viewer, Viewer) and code == viewer.county_code:
        return viewer.scope_code  # the viewer's own county: always in reach
    return code


TOWNSHIP_REF = Reference(("input", "townshipCode"), _input_township_code)
MEETING_INPUT_REF = Reference(("input", "id"), _meeting_township_code)
MEETING_ID_REF = Reference(("id",), _meeting_township_code)
VILLAGE_REF = Reference(("input", "villageCode"), _input_village_code)
CASE_REF = Reference(("input", "caseNumber"), _case_village_code)
ALERT_REF = Reference(("id",), _alert_county_code)
UNAVAILABILITY_REF = Reference(("id",), _unavailability_county_code)
COUNTY_REF = Reference(("countyCode",), _existing_county)
INPUT_COUNTY_REF = Reference(("input", "countyCode"), _input_existing_county)
ROLE_UNIT_REF = Reference(("input", "unitCode"), _input_role_unit_code)
ROLE_REF = Reference(("input", "id"), _role_unit_code)
PERSON_REF = Reference(("input", "id"), _person_code)
PARENT_REF = Reference(("input", "parentCode"), _input_parent_code)
UNIT_CODE_REF = Reference(("input", "code"), _input_code_parent)


def _audit_in_jurisdiction(viewer: Viewer, args: Args) -> Args:
    """auditLog(filter): a county token reads its county's entries only."""
    if viewer.is_admin:
        return args
    given = dict(args.get("filter") or {})
    if given.get("countyCode") not in (None, viewer.county_code):
        given["countyCode"] = "-"  # asked for another county: no rows
    else:
        given["countyCode"] = viewer.county_code
    return {**args, "filter": given}


def _alerts_in_jurisdiction(viewer: Viewer, args: Args) -> Args:
    """alerts(filter): county roles see their county's alerts, a township its own."""
    if viewer.is_admin:
        return args
    given = dict(args.get("filter") or {})
    key = "townshipCode" if viewer.role is TokenRole.TOWNSHIP else "countyCode"
    wanted = viewer.scope_code
    if given.get(key) not in (None, wanted):
        wanted = "-"  # asked for another unit: no rows
    given[key] = wanted
    return {**args, "filter": given}


def _runs_in_jurisdiction(viewer: Viewer, args: Args) -> Args:
    """ruleRuns(countyCode): a county token reads its county's runs (countyCode defaults to it)."""
    if viewer.is_admin or args.get("countyCode") is not None:
        return args
    return {**args, "countyCode": viewer.county_code}


ROOT_RULES: dict[str, RootRule] = {
    "Query.node": RootRule(EVERYONE, scoped_by="object_visible in resolvers/node"),
    "Query.counties": RootRule(EVERYONE, scoped_by="resolvers/units: only_visible"),
    "Query.county": RootRule(EVERYONE, scoped_by="resolvers/units: null out of scope"),
    "Query.township": RootRule(EVERYONE, scoped_by="resolvers/units: null out of scope"),
    "Query.village": RootRule(EVERYONE, scoped_by="resolvers/units: null out of scope"),
    "Query.grid": RootRule(EVERYONE, scoped_by="resolvers/units: null out of scope"),
    "Query.meetings": RootRule(EVERYONE, scoped_by="resolvers/meetings: scoped(township__code)"),
    "Query.cases": RootRule(EVERYONE, scoped_by="resolvers/cases: scoped(village__code)"),
    "Query.alerts": RootRule(EVERYONE - {TokenRole.VILLAGE}, constrain=_alerts_in_jurisdiction),
    "Query.enumLabels": RootRule(EVERYONE, scoped_by="fixed labels of enum values: no unit data"),
    "Query.mediationVisits": RootRule(EVERYONE, scoped_by="resolvers/visits: scoped(village__code)"),
    "Query.mediationVisitCounts": RootRule(EVERYONE, scoped_by="resolvers/visits: scoped(village__code)"),
    "Mutation.recordMediationVisit": RootRule(CASE_WRITERS, reference=VILLAGE_REF),
    "Query.rotationPlan": RootRule(COUNTY_READERS, unit=_arg_county_code),
    "Query.unavailability": RootRule(COUNTY_READERS, unit=_arg_county_code),
    "Mutation.applyRotationPlan": RootRule(COUNTY_WRITERS, reference=COUNTY_REF),
    "Mutation.markUnavailable": RootRule(COUNTY_WRITERS, reference=INPUT_COUNTY_REF),
    "Mutation.withdrawUnavailability": RootRule(COUNTY_WRITERS, reference=UNAVAILABILITY_REF),
    "Mutation.assignRole": RootRule(CASE_WRITERS, reference=ROLE_UNIT_REF),
    "Mutation.handOverRole": RootRule(CASE_WRITERS, reference=ROLE_UNIT_REF),
    "Mutation.endRole": RootRule(CASE_WRITERS, reference=ROLE_REF),
    "Mutation.updatePerson": RootRule(CASE_WRITERS, reference=PERSON_REF),
    "Mutation.createUnit": RootRule(CASE_WRITERS, reference=PARENT_REF),
    "Mutation.updateUnit": RootRule(CASE_WRITERS, reference=UNIT_CODE_REF),
    "Mutation.retireUnit": RootRule(CASE_WRITERS, reference=UNIT_CODE_REF),
    "Mutation.setSupervisedFrom": RootRule(frozenset({TokenRole.ADMIN}), reference=COUNTY_REF),
    "Query.rules": RootRule(EVERYONE, unit=_own_county_code, scoped_by="the rule catalog; parameter values of the viewer's county only"),
    "Query.ruleRuns": RootRule(COUNTY_READERS, unit=_arg_county_code, constrain=_runs_in_jurisdiction),
    "Query.ruleReport": RootRule(COUNTY_READERS, unit=_arg_county_code, scoped_by="one county; no party personal data in reports"),
    "Query.auditLog": RootRule(COUNTY_READERS, constrain=_audit_in_jurisdiction),
    "Mutation.recordMeeting": RootRule(MEETING_WRITERS, reference=TOWNSHIP_REF),
    "Mutation.updateMeeting": RootRule(MEETING_WRITERS, reference=MEETING_INPUT_REF),
    "Mutation.cancelMeeting": RootRule(MEETING_WRITERS, reference=MEETING_ID_REF),
    "Mutation.reportCase": RootRule(CASE_WRITERS, reference=VILLAGE_REF),
    "Mutation.addCaseEvent": RootRule(CASE_WRITERS, reference=CASE_REF),
    "Mutation.assignSupervisor": RootRule(COUNTY_WRITERS, reference=TOWNSHIP_REF),
    "Subscription.alertChanged": RootRule(
        EVERYONE - {TokenRole.VILLAGE}, scoped_by="resolvers/alerts/subscriptions: own county; events filtered by alert_visible"
    ),
    "Mutation.acknowledgeAlert": RootRule(COUNTY_WRITERS, reference=ALERT_REF),
    "Mutation.waiveAlert": RootRule(COUNTY_WRITERS, reference=ALERT_REF),
    "Mutation.runCompliance": RootRule(COUNTY_WRITERS, reference=COUNTY_REF),
}


def role_refusal(info: Any, key: str) -> Refusal | None:
    """The part of the root rule that reads no argument and no data: authentication, role, read-only. The input
    policy (schema/input_policy.py) runs after it and before the references are looked up."""
    viewer = getattr(info.context, "viewer", None)
    if not isinstance(viewer, Viewer):
        return Refusal("not authenticated")
    rule = ROOT_RULES.get(key)
    if rule is None:
        return None if viewer.is_admin else Refusal(f"{key} has no access rule yet; only ADMIN tokens may use it")
    if viewer.role not in rule.roles:
        return Refusal(f"{key} is not available to {viewer.role.value} tokens")
    if key.startswith("Mutation.") and viewer.read_only:
        return Refusal(f"an {viewer.describe()} is read-only")
    return None


async def root_refusal(info: Any, key: str, args: Args) -> tuple[Refusal | None, Args]:
    """Apply the root rule: (why the call is refused or None, the arguments to run it with).

    The order matters: role, then read-only, then the reference — so a caller who may not write at all
    learns nothing about which ids exist.
    """
    if (refusal := role_refusal(info, key)) is not None:
        return refusal, args
    viewer, rule = info.context.viewer, ROOT_RULES.get(key)
    if rule is None:
        return None, args  # an ADMIN token (role_refusal)
    if rule.constrain is not None:
        args = rule.constrain(viewer, args)
    if rule.unit is not None and not viewer.is_admin:
        code = await rule.unit(info, args)
        if code is not None and not viewer.sees(code):
            return Refusal(f"outside the jurisdiction of this {viewer.describe()}"), args
    if rule.reference is not None:
        code = await rule.reference.code(info, args)
        if code is None or not viewer.sees(code):
            args = rule.reference.blanked(args)
    return None, args
