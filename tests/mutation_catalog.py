"""Every mutation of the schema with a valid input, for the class tests that must cover each one (audit, retired units).

The mutations come from the built schema (`MUTATIONS`), not from a list: a new mutation has no entry in
`VALID` and the class tests fail by its name until it gets one. The document of each is generated from its
arguments' types, so an entry only says which values to send, against a `Stage` (world()'s county with a
worker, an empty grid, a case, meetings and an open alert, at a fixed instant `NOW`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx
from graphql import GraphQLField, GraphQLInputObjectType, GraphQLScalarType, get_named_type
from tortoise import Tortoise

from core.settings import Settings
from models.alerts import Alert
from models.enums import MeetingKind, MeetingStatus, Role, TokenRole
from models.meetings import Meeting
from models.people import Person, RoleAssignment
from models.rotation import Unavailability
from models.units import County, Grid, Township
from resolvers.root_rules import ROOT_RULES
from server.graphql import build_graphql_schema
from tests.rules.factories import SHANGHAI, case, grid, household_group, meeting, person, township, world
from tests.writes import gid

SCHEMA = build_graphql_schema(Settings())
MUTATIONS: dict[str, GraphQLField] = dict(SCHEMA._schema.mutation_type.fields)
NOW = datetime(2026, 12, 7, 10, tzinfo=SHANGHAI)  # a Monday morning in the county
OTHER_TOWNSHIP = "522728110"
# The narrowest token each role works with in the stage (the deepest scope lies inside all the others).
SCOPE_OF: dict[TokenRole, str | None] = {
    TokenRole.ADMIN: None, TokenRole.BUREAU: "522728", TokenRole.TOWNSHIP: "522728109", TokenRole.VILLAGE: "522728109201",
}


@dataclass(frozen=True)
class Stage:
    """What the valid inputs name: world()'s 罗甸县 / 沫阳镇 / 江亭村, plus a second township."""

    county: County
    township: Township
    other: Township
    village_code: str
    worked: Grid  # grid 01, its worker 王网格 (and household group 0101 with its head)
    empty: Grid  # grid 02: nobody, no children
    worker: Person
    worker_role: RoleAssignment
    leader: Person
    case_number: str
    held: Meeting  # a HELD thematic meeting last month
    scheduled: Meeting  # a SCHEDULED thematic meeting later this month (for cancelMeeting)
    planned: Meeting  # another one (for applyRotationPlan)
    alert: Alert
    away: Unavailability  # the leader away for a training week (for withdrawUnavailability)


async def stage() -> Stage:
    """Build the stage through the ORM (the clock must be frozen at NOW)."""
    w = await world(established_on=date(2026, 10, 1))
    other = await township(w.county, OTHER_TOWNSHIP, "逢亭镇")
    worker = await person("王网格")
    worked = await grid(w.village, "01", worker=worker, valid_from=date(2026, 1, 1))
    await household_group(worked, "01", head=await person("李联户"), valid_from=date(2026, 1, 1))
    empty = await grid(w.village, "02")
    reported = await case(w.village, datetime(2026, 11, 20, 9, tzinfo=SHANGHAI))
    held = await meeting(w.township, datetime(2026, 11, 10, 9, tzinfo=SHANGHAI), attendees=w.team)
    scheduled = await meeting(w.township, datetime(2026, 12, 20, 9, tzinfo=SHANGHAI), status=MeetingStatus.SCHEDULED)
    planned = await meeting(w.township, datetime(2026, 12, 24, 9, tzinfo=SHANGHAI), kind=MeetingKind.THEMATIC, status=MeetingStatus.SCHEDULED)
    alert = await Alert.create(
        fingerprint=f"roster.grid_worker_missing|{empty.code}", rule_id="roster.grid_worker_missing", severity="WARNING",
        county=w.county, township=w.township, subject_code=empty.code, message="第02网格 has no grid worker",
        raised_at=NOW, updated_at=NOW,
    )
    away = await Unavailability.create(person=w.leader, county=w.county, first_day=date(2026, 12, 21), last_day=date(2026, 12, 23),
                                       reason="培训")
    return Stage(
        county=w.county, township=w.township, other=other, village_code=w.village.code, worked=worked, empty=empty, worker=worker,
        worker_role=await RoleAssignment.get(person_id=worker.id, role=Role.GRID_WORKER), leader=w.leader,
        case_number=reported.number, held=held, scheduled=scheduled, planned=planned, alert=alert, away=away,
    )


Variables = dict[str, Any]
# mutation name → the variables of a call that succeeds against the stage, for ADMIN and for `scoped_role(name)`.
VALID: dict[str, Callable[[Stage], Variables]] = {
    "recordMeeting": lambda s: {"input": {"townshipCode": s.township.code, "kind": "THEMATIC", "heldAt": "2026-12-03T09:00:00+08:00",
                                          "attendeeIds": [gid("Person", s.leader.id)]}},
    "updateMeeting": lambda s: {"input": {"id": gid("Meeting", s.held.id), "title": "第一次专题会"}},
    "cancelMeeting": lambda s: {"id": gid("Meeting", s.scheduled.id), "reason": "台风"},
    "reportCase": lambda s: {"input": {"villageCode": s.village_code, "kind": "DISPUTE", "category": "LAND", "channel": "HOME_VISIT",
                                       "reportedAt": "2026-12-05T09:00:00+08:00", "title": "宅基地边界"}},
    "addCaseEvent": lambda s: {"input": {"caseNumber": s.case_number, "type": "RESOLVED", "at": "2026-12-05T09:00:00+08:00",
                                         "outcome": "MEDIATED"}},
    "assignSupervisor": lambda s: {"input": {"leaderId": gid("Person", s.leader.id), "townshipCode": s.other.code, "from": "2026-12-01"}},
    "acknowledgeAlert": lambda s: {"id": gid("Alert", s.alert.id), "note": "已安排"},
    "waiveAlert": lambda s: {"id": gid("Alert", s.alert.id), "reason": "网格合并中"},
    "runCompliance": lambda s: {"countyCode": s.county.code},
    "assignRole": lambda s: {"input": {"role": "GRID_WORKER", "unitCode": s.empty.code, "from": "2026-12-05",
                                       "newPerson": {"name": "赵新", "phone": "13912340001"}}},
    "handOverRole": lambda s: {"input": {"role": "GRID_WORKER", "unitCode": s.worked.code, "on": "2026-12-06",
                                         "newPerson": {"name": "钱接", "phone": "13912340002"}}},
    "endRole": lambda s: {"input": {"id": gid("RoleAssignment", s.worker_role.id), "lastDay": "2026-12-05"}},
    "updatePerson": lambda s: {"input": {"id": gid("Person", s.worker.id), "phone": "13912340003"}},
    "createUnit": lambda s: {"input": {"kind": "GRID", "parentCode": s.village_code, "code": s.village_code + "03", "name": "第三网格"}},
    "updateUnit": lambda s: {"input": {"code": s.empty.code, "name": "第二网格（新）"}},
    "retireUnit": lambda s: {"input": {"code": s.empty.code, "on": "2026-12-05"}},
    "recordMediationVisit": lambda s: {"input": {"villageCode": s.village_code, "day": "2026-12-05", "staffIds": [gid("Person", s.worker.id)],
                                                 "caseNumbers": [s.case_number]}},
    "applyRotationPlan": lambda s: {"countyCode": s.county.code, "month": "2026-12"},
    "markUnavailable": lambda s: {"input": {"countyCode": s.county.code, "personId": gid("Person", s.leader.id), "from": "2026-12-14",
                                            "to": "2026-12-18", "reason": "培训"}},
    "withdrawUnavailability": lambda s: {"id": gid("Unavailability", s.away.id)},
    "setSupervisedFrom": lambda s: {"countyCode": s.county.code, "date": "2026-10-01"},
}


def scoped_role(name: str) -> TokenRole | None:
    """The narrowest role other than ADMIN that may use the mutation (None: ADMIN only)."""
    roles = ROOT_RULES[f"Mutation.{name}"].roles
    return next((role for role in (TokenRole.VILLAGE, TokenRole.TOWNSHIP, TokenRole.BUREAU) if role in roles), None)


def document(name: str) -> str:
    """The mutation with every argument as a variable of its declared type, selecting its userErrors."""
    field = MUTATIONS[name]
    declared = ", ".join(f"${arg}: {spec.type}" for arg, spec in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    return f"mutation({declared}) {{ {name}({passed}) {{ __typename userErrors {{ field code message }} }} }}"


async def call(client: httpx.AsyncClient, name: str, variables: Variables) -> dict[str, Any]:
    """The mutation's payload (fails loudly on a GraphQL error: a mutation answers with userErrors)."""
    response = await client.post("/graphql", json={"query": document(name), "variables": variables})
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"][name]


def unit_code_fields(name: str) -> list[tuple[str, ...]]:
    """The argument paths of a mutation that take a unit code (`code`, or a name ending in `Code`), found in its input types."""
    found: list[tuple[str, ...]] = []

    def walk(path: tuple[str, ...], type_: Any) -> None:
        named = get_named_type(type_)
        if isinstance(named, GraphQLInputObjectType):
            for field_name, field in named.fields.items():
                walk((*path, field_name), field.type)
        elif isinstance(named, GraphQLScalarType) and named.name == "String" and (path[-1] == "code" or path[-1].endswith("Code")):
            found.append(path)

    for arg, spec in MUTATIONS[name].args.items():
        walk((arg,), spec.type)
    return found


async def row_counts() -> dict[str, int]:
    """Rows per table of every model (tokens aside: using one is not a write of the mutation)."""
    counts = {}
    for model in Tortoise.apps["lianxi"].values():
        if model._meta.db_table not in ("api_token",):
            counts[model._meta.db_table] = await model.all().count()
    return counts

