"""Descriptions of the grassroots-practice API: roster writes (人员与网格维护), mediation visits (调解走访),
the village ledger (社情民意台账), the rotation planner (分片联系) and the supervision start.

Same format as schema.descriptions.DESCRIPTIONS ("Type", "Type.field", "Type.field(argument)"), which
merges this table; enum values are described by their labels in schema/labels.py.
"""

from __future__ import annotations

PRACTICE_DESCRIPTIONS: dict[str, str] = {
    # Enums and unions
    "UnitKind": "Level of a unit in the hierarchy (单位层级); createUnit takes VILLAGE, GRID, HOUSEHOLD_GROUP or PARTY_GROUP.",
    "VisitOutcome": "What a mediation visit achieved (走访结果).",
    "Unit": "A village, grid, household group or party group: the units the roster writes create, rename and retire.",
    # Supervision start (ADMIN)
    "Mutation.setSupervisedFrom(countyCode)": "The county's 6-digit code.",
    "Mutation.setSupervisedFrom(date)": (
        "First local day the county's records are complete (监管起始日); not in the future. Null clears it: each township "
        "is then evaluated from its joint meeting's establishment."
    ),
    "CountyPayload": "The result of `setSupervisedFrom`.",
    "CountyPayload.county": "The county after the write (`supervisedFrom` shows the new start); null when refused.",
    # Roster writes (人员与职务): township and village tokens for their own units, bureau and ADMIN for the county
    "NewPersonInput.name": "Full name (姓名), at most 64 characters.",
    "NewPersonInput.phone": "Work phone: digits, +, - and spaces, at most 32 characters; masked for auditors.",
    "AssignRoleInput.role": (
        "The role; it fixes the unit's kind: bureau roles in the county, (chief) conveners in a township, 网格员 in a grid, "
        "联户长 in a household group, 党小组长 in a party group."
    ),
    "AssignRoleInput.personId": "Person global ID of someone already recorded; give this or `newPerson`, not both.",
    "AssignRoleInput.newPerson": "Record a new person and give them the role; give this or `personId`, not both.",
    "AssignRoleInput.from": "First local day in the role (inclusive).",
    "AssignRoleInput.to": (
        "Last local day in the role (inclusive); open-ended (still in office) when left out. A single-holder role may not "
        "overlap another holder's days (CONFLICT): use handOverRole."
    ),
    "HandOverRoleInput.role": "A single-holder role (not BUREAU_LEADER or BUREAU_STAFF, which several hold at once: use assignRole / endRole).",
    "HandOverRoleInput.unitCode": "The unit the role is held in; someone must hold the role there on the day before `on`.",
    "HandOverRoleInput.on": (
        "The new holder's first local day: the current holder's assignment ends on the day before, and the new one runs "
        "to the old one's last day (open-ended if it was)."
    ),
    "HandOverRoleInput.personId": "Person global ID of the new holder, already recorded; give this or `newPerson`.",
    "HandOverRoleInput.newPerson": "Record the new holder as a new person; give this or `personId`.",
    "EndRoleInput.lastDay": (
        "Last local day in the role (inclusive); not before its first day. Nobody takes over, so the roster rules may "
        "raise an alert for the unit left without a 网格员 or 联户长."
    ),
    "UpdatePersonInput.name": "The corrected full name (at most 64 characters).",
    "UpdatePersonInput.phone": "The corrected work phone (digits, +, - and spaces).",
    "CreateUnitInput.kind": "VILLAGE, GRID, HOUSEHOLD_GROUP or PARTY_GROUP (counties and townships come from the import only).",
    "CreateUnitInput.parentCode": (
        "Code of the live parent: the township for a village, the village for a grid or party group, the grid for a "
        "household group. The caller must manage the parent."
    ),
    "CreateUnitInput.name": "Chinese name, required for villages, grids and party groups; household groups have none (known by code).",
    "CreateUnitInput.villageKind": "Villages only: village (村) or community (社区); VILLAGE when left out.",
    "CreateUnitInput.households": "Households (户数): villages and household groups only.",
    "CreateUnitInput.population": "Registered population (人口): villages only.",
    "CreateUnitInput.groups": "Villager groups (村民小组): villages only.",
    "UpdateUnitInput.code": "The live village, grid, household group or party group to change; the caller must manage its parent.",
    "UpdateUnitInput.name": "The new name; household groups have none.",
    "UpdateUnitInput.villageKind": "Villages only: village (村) or community (社区).",
    "UpdateUnitInput.households": "Households (户数): villages and household groups only.",
    "UpdateUnitInput.population": "Registered population (人口): villages only.",
    "UpdateUnitInput.groups": "Villager groups (村民小组): villages only.",
    "RetireUnitInput.code": (
        "The village, grid, household group or party group to retire; its live children must be retired first (CONFLICT "
        "otherwise), and the caller must manage its parent."
    ),
    "RetireUnitInput.on": "First local day it no longer exists (merged or dissolved, 撤并); earlier days keep their history.",
    "RoleHolding.role": "The role held.",
    "RoleHolding.unitCode": "Code of the unit it is held in (county, township, grid, household group or party group).",
    "RoleHolding.validFrom": "First local day in the role (inclusive); open when null.",
    "RoleHolding.validTo": "Last local day in the role (inclusive); still in office when null.",
    "RoleHolding.person": "Who holds it.",
    "RolePayload": "The result of `assignRole`, `handOverRole` or `endRole`.",
    "RolePayload.assignment": "The assignment written (handOverRole: the new holder's; endRole: the one ended); null when refused.",
    "PersonPayload": "The result of `updatePerson`.",
    "PersonPayload.person": "The person as corrected; null when refused.",
    "UnitPayload": "The result of `createUnit`, `updateUnit` or `retireUnit`.",
    "UnitPayload.unit": "The unit as written; null when refused.",
    # Mediation visits (调解走访)
    "MediationVisit.extId": "Its id in the imported lianxi/v1 document; `api-…` for visits recorded through the API.",
    "MediationVisit.outcome": "What the visit achieved; null when not recorded.",
    "MediationVisit.note": "Free text (at most 200 characters).",
    "MediationVisit.village": "The village visited (村).",
    "MediationVisitConnection": "A page of mediation visits (调解走访), oldest first.",
    "MediationVisitFilter.countyCode": "Only visits to this county's villages.",
    "MediationVisitFilter.townshipCode": "Only visits to this township's villages.",
    "MediationVisitFilter.villageCode": "Only visits to this village.",
    "MediationVisitPayload": "The result of `recordMediationVisit`.",
    "MediationVisitPayload.visit": "The visit as recorded; null when refused.",
    "RecordMediationVisitInput.villageCode": "The 12-digit code of the village visited; the caller's jurisdiction must include it.",
    "RecordMediationVisitInput.day": "The local day of the visit (no hour is kept); today or earlier, never a future day.",
    "RecordMediationVisitInput.outcome": "What the visit achieved; may be left out.",
    "RecordMediationVisitInput.note": "Free text, at most 200 characters.",
    "VisitCount.villageCode": "The village's 12-digit code.",
    "VisitCount.villageName": "Its Chinese name.",
    "VisitCount.month": "Local month label, e.g. 2023-05.",
    "VisitCount.visits": "Mediation visits to the village that month (at least 1).",
    # Village ledger (社情民意台账)
    "Village.ledger(period)": "A year `2023`, a month `2023-05` or a quarter `2023-Q2`, in the county's local time; default the current year.",
    "VillageLedger.period": "The period's label, as asked (e.g. 2023-05).",
    "VillageLedger.firstDay": "First local day of the period.",
    "VillageLedger.lastDay": "Last local day of the period (inclusive).",
    "VillageLedger.collected": "Disputes (矛盾纠纷, not petitions) reported in the period (收集).",
    "VillageLedger.open": "Of those, still REPORTED or ACCEPTED at the period's end (未办结).",
    "VillageLedger.byChannel": "Collected and mediated per channel (CaseChannel value in `key`), largest first.",
    "VillageLedger.byCategory": "Collected and mediated per category (CaseCategory value in `key`), largest first.",
    "VillageLedger.items": "Every dispute collected in the period, oldest report first.",
    "LedgerCount.key": "The CaseChannel or CaseCategory value counted, e.g. HOME_VISIT or LAND (Chinese label: `enumLabels`).",
    "LedgerCount.collected": "Disputes reported in the period with this channel or category.",
    "LedgerCount.mediated": "Of those, resolved with outcome MEDIATED (调解成功) by the period's end.",
    "LedgerItem.number": "Case number, unique in the county.",
    "LedgerItem.reportedOn": "Local day it was reported (登记).",
    "LedgerItem.channel": "How it came in (来源渠道).",
    "LedgerItem.category": "What it is about (纠纷类别).",
    "LedgerItem.title": "Short title.",
    "LedgerItem.status": "Its status at the end of the period (events after it left out).",
    "LedgerItem.level": "The level handling it at the end of the period.",
    "LedgerItem.outcome": "How it was resolved by the period's end; null while unresolved.",
    "LedgerItem.resolvedOn": "Local day of its resolution; null when not resolved by the period's end.",
    # Rotation planner (分片联系轮值): BUREAU and ADMIN tokens of the county
    "Query.rotationPlan(countyCode)": "The county's 6-digit code.",
    "Query.rotationPlan(month)": "The local month `YYYY-MM`, e.g. 2023-05.",
    "Mutation.applyRotationPlan(countyCode)": "The county's 6-digit code.",
    "Mutation.applyRotationPlan(month)": "The local month `YYYY-MM` whose SCHEDULED thematic meetings get the plan.",
    "RotationPlan.countyCode": "The county planned.",
    "RotationPlan.month": "The month label, e.g. 2023-05.",
    "RotationPlan.townships": "How many townships the county has (all of them are to be covered).",
    "RotationPlan.covered": "How many townships got a visit (the length of `visits`).",
    "RotationPlan.complete": "Whether every township is covered (`gaps` is empty).",
    "RotationPlan.visits": "The planned visits, one per covered township, by township code.",
    "RotationPlan.gaps": "The townships left uncovered, with the reason, by township code.",
    "RotationPlanPayload": "The result of `applyRotationPlan`: the plan as written.",
    "RotationPlanPayload.plan": "The plan written into the meetings' attendees; null when refused.",
    "RotationVisit.townshipCode": "The township's 9-digit code.",
    "RotationVisit.townshipName": "Its Chinese name.",
    "RotationVisit.meeting": "The SCHEDULED thematic meeting (专题会) they attend; at most one per township.",
    "RotationVisit.leader": "The bureau leader or head (领导班子成员) planned; never on a day marked unavailable.",
    "RotationVisit.staff": "The bureau staff member (业务人员) who goes with the leader.",
    "RotationGap.townshipCode": "The township's 9-digit code.",
    "RotationGap.townshipName": "Its Chinese name.",
    "RotationGap.reason": "Why it cannot be covered (the simplest reason that applies).",
    "RotationGap.message": "The reason spelt out with the days concerned and what to do (schedule a meeting, move it, raise the cap).",
    "MarkUnavailableInput.countyCode": "The county whose bureau the person belongs to (6-digit code).",
    "MarkUnavailableInput.personId": "Person global ID of someone holding a role in that county's bureau.",
    "MarkUnavailableInput.from": "First local day away (inclusive).",
    "MarkUnavailableInput.to": "Last local day away (inclusive); not before `from`, at most a year later.",
    "MarkUnavailableInput.reason": "Why (leave, training, another duty), at most 200 characters; optional.",
    "Query.unavailability(countyCode)": "The county's 6-digit code.",
    "Query.unavailability(from)": "First local day of the window (inclusive).",
    "Query.unavailability(to)": "Last local day of the window (inclusive; at most a year after `from`).",
    "Mutation.withdrawUnavailability(id)": "The global id of the Unavailability to withdraw (from `unavailability` or `markUnavailable`).",
    "Unavailability.person": "The bureau member away.",
    "Unavailability.from": "First local day away (inclusive).",
    "Unavailability.to": "Last local day away (inclusive).",
    "Unavailability.reason": "Why, when given.",
    "UnavailabilityPayload": "The result of `markUnavailable`.",
    "UnavailabilityPayload.unavailability": "The days recorded; null when refused.",
}
