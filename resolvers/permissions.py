"""Who may read and change what: the one module every resolver asks.

Jurisdiction is a code prefix. Unit codes are hierarchical (county 6 digits ⊂ township 9 ⊂
village 12 ⊂ grid 14 ⊂ household group 16; party groups extend their village's code), and the
importer enforces it, so "inside my jurisdiction" is `code.startswith(viewer.scope_code)`:

- ADMIN: everything. BUREAU and AUDITOR: their county. TOWNSHIP / VILLAGE: their code and below
  (never the county above them, nor a sibling). AUDITOR is read-only and sees personal data masked.
- Every object the API hands out is in the viewer's jurisdiction. Because children extend their
  parent's code, a link *down* from an in-scope object stays in scope; checks are needed only at the
  root (lookups, connections, `node`) and on links that go *up* or *across* (Township.county,
  Case.meetings, Person.roles…). Single objects out of scope read as null; lists leave them out;
  connections filter in SQL (`scoped`) so `totalCount` is right.
- Root fields: `ROOT_RULES` says which roles may use each Query / Mutation / Subscription field and
  which unit a call acts on. `guard_root_fields` wraps every root resolver of the built schema with
  it; a field without a rule is usable by ADMIN only (and the test matrix fails until it gets one).
  Mutations answer a refused call with a `FORBIDDEN` user error and never run; resolvers that learn
  the unit late call `require_write(viewer, unit_code)` themselves.
- Personal data (case parties' names, phones, ID numbers; people's phones) goes through `mask_*`.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLResolveInfo
from tortoise.expressions import Q

from models.enums import TokenRole
from resolvers.errors import ExpectedError

if TYPE_CHECKING:
    import strawberry
    from tortoise.queryset import QuerySet

    from schema.errors import UserError

T = TypeVar("T")

EVERYONE = frozenset(TokenRole)
COUNTY_READERS = frozenset({TokenRole.ADMIN, TokenRole.BUREAU, TokenRole.AUDITOR})
COUNTY_WRITERS = frozenset({TokenRole.ADMIN, TokenRole.BUREAU})
MEETING_WRITERS = COUNTY_WRITERS | {TokenRole.TOWNSHIP}  # the township records its own meetings
CASE_WRITERS = MEETING_WRITERS | {TokenRole.VILLAGE}  # villages report and handle their own cases

# The code length a token's scope must have, per role (ADMIN has no scope).
SCOPE_LENGTH: dict[TokenRole, int | None] = {
    TokenRole.ADMIN: None,
    TokenRole.BUREAU: 6,
    TokenRole.AUDITOR: 6,
    TokenRole.TOWNSHIP: 9,
    TokenRole.VILLAGE: 12,
}


class Forbidden(ExpectedError):
    """The viewer may not do this; the message says why (never what exists outside the jurisdiction)."""

    code = "FORBIDDEN"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The authenticated caller: a token's role and jurisdiction."""

    role: TokenRole
    scope_code: str | None  # None only for ADMIN
    token_id: int | None = None
    name: str = "api"

    @property
    def county_code(self) -> str | None:
        """The county the jurisdiction lies in (codes start with it); None for ADMIN."""
        return self.scope_code[:6] if self.scope_code else None

    @property
    def is_admin(self) -> bool:
        return self.role is TokenRole.ADMIN

    @property
    def read_only(self) -> bool:
        return self.role is TokenRole.AUDITOR

    def sees(self, code: str | None) -> bool:
        """Is the unit with this code (or anything under it) inside the jurisdiction?"""
        if self.is_admin:
            return True
        return bool(code) and self.scope_code is not None and code.startswith(self.scope_code)  # type: ignore[union-attr]

    def describe(self) -> str:
        return f"{self.role.value} token" + (f" for {self.scope_code}" if self.scope_code else "")


def viewer_of(info: Any) -> Viewer:
    """The request's viewer; a request without one (never authenticated) may read nothing."""
    viewer = getattr(info.context, "viewer", None)
    if not isinstance(viewer, Viewer):
        raise Forbidden("not authenticated")
    return viewer


def sees(info: Any, code: str | None) -> bool:
    return viewer_of(info).sees(code)


def scoped(queryset: QuerySet[Any], info: Any, code_path: str) -> QuerySet[Any]:
    """Restrict a queryset in SQL to rows whose unit code (at `code_path`, e.g. `village__code`) is in scope."""
    viewer = viewer_of(info)
    if viewer.is_admin:
        return queryset
    return queryset.filter(Q(**{f"{code_path}__startswith": viewer.scope_code}))


def only_visible(info: Any, items: Iterable[T], code_of: Callable[[T], str | None]) -> list[T]:
    """The items whose unit code is in scope, in their order."""
    viewer = viewer_of(info)
    if viewer.is_admin:
        return list(items)
    return [item for item in items if viewer.sees(code_of(item))]


# --- Objects by type: the unit code that decides who may see them ---------------------------------


async def _code_via_loader(info: Any, loader: type, row_id: int | None) -> str | None:
    if row_id is None:
        return None
    unit = await info.context.loader(loader).load(row_id)
    return unit.code if unit else None


async def unit_code_of(info: Any, type_name: str, row: Any) -> str | None:
    """The code of the unit an object belongs to (None: no unit, visible to ADMIN only)."""
    from resolvers.units import loaders as units

    if type_name in ("County", "Township", "Village", "Grid", "HouseholdGroup", "PartyGroup"):
        return str(row.code)
    if type_name == "Meeting":
        return await _code_via_loader(info, units.TownshipByIdLoader, row.township_id)
    if type_name == "Case":
        return await _code_via_loader(info, units.VillageByIdLoader, row.village_id)
    if type_name == "Alert":
        if getattr(row, "township_id", None) is not None:
            return await _code_via_loader(info, units.TownshipByIdLoader, row.township_id)
        return await _code_via_loader(info, units.CountyByIdLoader, row.county_id)
    if type_name == "RuleRun":
        return await _code_via_loader(info, units.CountyByIdLoader, row.county_id)
    return None


async def person_visible(info: Any, person_id: int) -> bool:
    """A person is visible where they hold a role, supervise a township or attended a meeting in scope."""
    from models.meetings import Meeting
    from models.people import RoleAssignment
    from models.supervision import SupervisionAssignment

    viewer = viewer_of(info)
    if viewer.is_admin:
        return True
    prefix = viewer.scope_code
    role_here = (
        Q(county__code__startswith=prefix) | Q(township__code__startswith=prefix) | Q(grid__code__startswith=prefix)
        | Q(household_group__code__startswith=prefix) | Q(party_group__code__startswith=prefix)
    )
    return (
        await RoleAssignment.filter(role_here, person_id=person_id).exists()
        or await SupervisionAssignment.filter(leader_id=person_id, township__code__startswith=prefix).exists()
        or await Meeting.filter(attendees__id=person_id, township__code__startswith=prefix).exists()
    )


async def object_visible(info: Any, type_name: str, row: Any) -> bool:
    """May the viewer see this row, fetched by `node(id)`?"""
    viewer = viewer_of(info)
    if viewer.is_admin:
        return True
    if type_name == "Person":
        return await person_visible(info, row.id)
    return viewer.sees(await unit_code_of(info, type_name, row))


def alert_visible(viewer: Viewer, *, county_code: str, township_code: str | None) -> bool:
    """The rule `alerts` applies in SQL, for one alert: county roles their county's, a township its own."""
    if viewer.is_admin:
        return True
    if viewer.role is TokenRole.VILLAGE:
        return False
    if viewer.role is TokenRole.TOWNSHIP:
        return township_code == viewer.scope_code
    return county_code == viewer.scope_code


# --- Writes ---------------------------------------------------------------------------------------


def write_refusal(viewer: Viewer | None, unit_code: str | None) -> str | None:
    """Why this viewer may not change this unit (None: it may)."""
    if viewer is None:
        return "not authenticated"
    if viewer.read_only:
        return f"an {viewer.describe()} is read-only"
    if not viewer.sees(unit_code):
        return f"outside the jurisdiction of this {viewer.describe()}"
    return None


def require_write(viewer: Viewer | None, unit_code: str | None, field: list[str] | None = None) -> UserError | None:
    """For mutations: a FORBIDDEN user error when the viewer may not change `unit_code`, else None.

    ```python
    if error := require_write(info.context.viewer, township_code, ["input", "townshipCode"]):
        return MeetingPayload(meeting=None, user_errors=[error])
    ```
    """
    from schema.errors import UserError

    reason = write_refusal(viewer, unit_code)
    return None if reason is None else UserError(field=field, code="FORBIDDEN", message=f"Forbidden: {reason}.")


# --- Personal data --------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """张三 → 张*, 王小明 → 王**: the family name stays, the given name goes."""
    return name[:1] + "*" * (len(name) - 1) if name else name


def mask_phone(phone: str | None) -> str | None:
    """13912340000 → 139****0000."""
    if not phone:
        return phone
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(id_number: str | None) -> str | None:
    """522728199001011234 → 5227**********1234."""
    if not id_number:
        return id_number
    if len(id_number) < 9:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def sees_personal_data(viewer: Viewer | None, unit_code: str | None) -> bool:
    """Clear names, phones and ID numbers: ADMIN; BUREAU, TOWNSHIP and VILLAGE inside their jurisdiction; never AUDITOR."""
    if viewer is None or viewer.read_only:
        return False
    return viewer.sees(unit_code)


def sees_contact_phones(viewer: Viewer | None) -> bool:
    """Officials' phones (Person.phone): people are reachable only through objects in scope, so only the role decides."""
    return viewer is not None and not viewer.read_only


# --- Root fields ----------------------------------------------------------------------------------

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


async def _arg_county_code(info: Any, args: Args) -> str | None:
    return args.get("countyCode")


async def _alert_county_code(info: Any, args: Args) -> str | None:
    """The county of the alert named by the `id` argument; unknown ids act on nothing in scope."""
    from models.alerts import Alert
    from schema.node import from_global_id

    decoded = from_global_id(str(args.get("id", "")))
    if decoded is None or decoded[0] != "Alert":
        return None  # the resolver answers NOT_FOUND
    code = await Alert.filter(id=decoded[1]).values_list("county__code", flat=True)
    return code[0] if code else None


async def _input_township_code(info: Any, args: Args) -> str | None:
    return (args.get("input") or {}).get("townshipCode")


async def _input_village_code(info: Any, args: Args) -> str | None:
    return (args.get("input") or {}).get("villageCode")


async def _meeting_township_code(info: Any, args: Args) -> str | None:
    """The township of the meeting named by `id` (or `input.id`); unknown ids act on nothing in scope."""
    from models.meetings import Meeting
    from schema.node import from_global_id

    decoded = from_global_id(str(args.get("id") or (args.get("input") or {}).get("id") or ""))
    if decoded is None or decoded[0] != "Meeting":
        return None  # the resolver answers NOT_FOUND
    code = await Meeting.filter(id=decoded[1]).values_list("township__code", flat=True)
    return code[0] if code else None


async def _case_village_code(info: Any, args: Args) -> str | None:
    from models.cases import Case

    number = (args.get("input") or {}).get("caseNumber")
    code = await Case.filter(number=str(number)).values_list("village__code", flat=True) if number else []
    return code[0] if code else None


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
    "Query.rules": RootRule(EVERYONE, scoped_by="the rule catalog and parameter values: no unit data"),
    "Query.ruleRuns": RootRule(COUNTY_READERS, unit=_arg_county_code, constrain=_runs_in_jurisdiction),
    "Query.ruleReport": RootRule(COUNTY_READERS, unit=_arg_county_code, scoped_by="one county; no party personal data in reports"),
    "Query.auditLog": RootRule(COUNTY_READERS, constrain=_audit_in_jurisdiction),
    "Mutation.recordMeeting": RootRule(MEETING_WRITERS, unit=_input_township_code),
    "Mutation.updateMeeting": RootRule(MEETING_WRITERS, unit=_meeting_township_code),
    "Mutation.cancelMeeting": RootRule(MEETING_WRITERS, unit=_meeting_township_code),
    "Mutation.reportCase": RootRule(CASE_WRITERS, unit=_input_village_code),
    "Mutation.addCaseEvent": RootRule(CASE_WRITERS, unit=_case_village_code),
    "Mutation.assignSupervisor": RootRule(COUNTY_WRITERS, unit=_input_township_code),
    "Subscription.alertChanged": RootRule(
        EVERYONE - {TokenRole.VILLAGE}, scoped_by="resolvers/alerts/subscriptions: own county; events filtered by alert_visible"
    ),
    "Mutation.acknowledgeAlert": RootRule(COUNTY_WRITERS, unit=_alert_county_code),
    "Mutation.waiveAlert": RootRule(COUNTY_WRITERS, unit=_alert_county_code),
    "Mutation.runCompliance": RootRule(COUNTY_WRITERS, unit=_arg_county_code),
}


async def root_refusal(info: Any, key: str, args: Args) -> tuple[str | None, Args]:
    """Apply the root rule: (why the call is refused or None, the arguments to run it with)."""
    viewer = getattr(info.context, "viewer", None)
    if not isinstance(viewer, Viewer):
        return "not authenticated", args
    rule = ROOT_RULES.get(key)
    if rule is None:
        if viewer.is_admin:
            return None, args
        return f"{key} has no access rule yet; only ADMIN tokens may use it", args
    if viewer.role not in rule.roles:
        return f"{key} is not available to {viewer.role.value} tokens", args
    if rule.constrain is not None:
        args = rule.constrain(viewer, args)
    if rule.unit is not None and not viewer.is_admin:
        code = await rule.unit(info, args)
        if code is not None and not viewer.sees(code):
            return f"outside the jurisdiction of this {viewer.describe()}", args
    if key.startswith("Mutation.") and viewer.read_only:
        return f"an {viewer.describe()} is read-only", args
    return None, args


def _payload_class(schema: strawberry.Schema, info: GraphQLResolveInfo) -> type | None:
    """The strawberry class of a mutation's payload, if it carries `userErrors`."""
    output = info.return_type.of_type if isinstance(info.return_type, GraphQLNonNull) else info.return_type
    if not isinstance(output, GraphQLObjectType) or "userErrors" not in output.fields:
        return None
    definition = schema.get_type_by_name(output.name)
    return getattr(definition, "origin", None)


def _forbidden_payload(payload: type, reason: str) -> Any:
    from schema.errors import UserError

    values: dict[str, Any] = {}
    for field in dataclasses.fields(payload):
        has_default = field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
        if field.init and not has_default:
            values[field.name] = None
    values["user_errors"] = [UserError(field=None, code="FORBIDDEN", message=f"Forbidden: {reason}.")]
    return payload(**values)


def _guard_resolver(schema: strawberry.Schema, key: str, resolve: Callable[..., Any]) -> Callable[..., Any]:
    is_mutation = key.startswith("Mutation.")

    async def guarded(root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        reason, args = await root_refusal(info, key, args)
        if reason is not None:
            payload = _payload_class(schema, info) if is_mutation else None
            if payload is not None:
                return _forbidden_payload(payload, reason)
            raise Forbidden(f"Forbidden: {reason}.")
        result = resolve(root, info, **args)
        return await result if inspect.isawaitable(result) else result

    return guarded


def _guard_subscribe(key: str, subscribe: Callable[..., Any]) -> Callable[..., Any]:
    async def guarded(root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        reason, args = await root_refusal(info, key, args)
        if reason is not None:
            raise Forbidden(f"Forbidden: {reason}.")
        result = subscribe(root, info, **args)
        return await result if inspect.isawaitable(result) else result

    return guarded


def root_field_keys(schema: strawberry.Schema) -> list[str]:
    """Every root field of a schema as `Type.field` (what ROOT_RULES must cover)."""
    gql = schema._schema
    keys = []
    for root in (gql.query_type, gql.mutation_type, gql.subscription_type):
        if root is not None:
            keys += [f"{root.name}.{name}" for name in root.fields if not name.startswith("__")]
    return keys


def guard_root_fields(schema: strawberry.Schema) -> strawberry.Schema:
    """Wrap every root resolver of a built schema with its ROOT_RULES check (fail closed without one)."""
    from graphql import default_field_resolver

    gql = schema._schema
    for root in (gql.query_type, gql.mutation_type):
        if root is None:
            continue
        for name, field in root.fields.items():
            if not name.startswith("__"):
                field.resolve = _guard_resolver(schema, f"{root.name}.{name}", field.resolve or default_field_resolver)
    if gql.subscription_type is not None:
        for name, field in gql.subscription_type.fields.items():
            if field.subscribe is not None:
                field.subscribe = _guard_subscribe(f"{gql.subscription_type.name}.{name}", field.subscribe)
    return schema
