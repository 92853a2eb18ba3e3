"""One representative call (or several) of each root field and each field that declares work, on the 2023 demo.

Each probe is what a client could send with an ordinary token: the county-wide forms (a field reached for every
village), the longest periods, `knownAt`. tests/cost/test_declared_work.py walks the schema and fails for a field
without a probe here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Probe:
    """A document sent by a token of `role` (scoped to `scope`)."""

    document: str
    role: str = "AUDITOR"
    scope: str | None = "522728"


AS_OF = 'asOf: "2024-01-01T00:00:00+08:00"'
KNOWN = 'knownAt: "2023-12-01T00:00:00+08:00"'
PROBES: dict[str, list[Probe]] = {
    "Query.node": [Probe('{ node(id: "VG93bnNoaXA6MQ==") { id } }')],
    "Query.counties": [Probe("{ counties { code townships { code } } }")],
    "Query.county": [Probe('{ county(code: "522728") { townships { villages { grids { householdGroups { code } } } } } }')],
    "Query.township": [Probe('{ township(code: "522728109") { villages { name } } }')],
    "Query.village": [Probe('{ village(code: "522728109201") { grids { name } } }')],
    "Query.grid": [Probe('{ grid(code: "522728109201001") { householdGroups { code } } }')],
    "Query.meetings": [Probe("{ meetings(first: 100) { edges { node { number attendees { name } cases { number } } } } }")],
    "Query.cases": [Probe("{ cases(first: 100) { edges { node { number events { type } } } } }")],
    "Query.alerts": [Probe("{ alerts(first: 100) { edges { node { ruleId } } } }")],
    "Query.rules": [Probe('{ rules(countyCode: "522728") { id } }')],
    "Query.ruleRuns": [Probe("{ ruleRuns(first: 100) { edges { node { id } } } }")],
    "Query.ruleReport": [
        Probe(f'{{ ruleReport(countyCode: "522728", from: "2023-05-01", to: "2023-05-31", {AS_OF}) {{ digest }} }}'),
        Probe(f'{{ ruleReport(countyCode: "522728", from: "2023-01-01", to: "2023-12-31", {AS_OF}) {{ digest }} }}'),
        Probe(f'{{ ruleReport(countyCode: "522728", from: "2023-01-01", to: "2023-12-31", {AS_OF}, {KNOWN}) {{ digest }} }}'),
    ],
    "Query.auditLog": [Probe("{ auditLog(first: 100) { edges { node { id } } } }", role="ADMIN", scope=None)],
    "Query.mediationVisits": [Probe("{ mediationVisits(first: 100) { edges { node { id staff { name } } } } }")],
    "Query.mediationVisitCounts": [
        Probe("{ mediationVisitCounts { villageCode } }"),
        Probe('{ mediationVisitCounts(filter: {period: "2023"}) { villageCode } }'),
        Probe('{ mediationVisitCounts(filter: {period: "2023-05"}) { villageCode } }'),
    ],
    "Query.rotationPlan": [Probe('{ rotationPlan(countyCode: "522728", month: "2023-05") { covered } }')],
    "Query.unavailability": [Probe('{ unavailability(countyCode: "522728", from: "2023-01-01", to: "2023-12-31") { id } }')],
    "Query.enumLabels": [Probe("{ enumLabels { enum } }")],
    "Village.ledger": [
        Probe('{ county(code: "522728") { townships { villages { ledger(period: "2023") { collected items { number } } } } } }'),
        Probe('{ village(code: "522728109201") { ledger(period: "2023-05") { collected } } }'),
        Probe('{ village(code: "522728109201") { ledger { collected } } }'),
    ],
    "Township.compliance": [
        Probe('{ township(code: "522728109") { compliance(year: 2023) { months { met } } } }'),
        Probe('{ county(code: "522728") { townships { compliance(year: 2023) { months { met } quarters { met } } } } }'),
    ],
    "County.statistics": [Probe('{ county(code: "522728") { statistics(year: 2023) { key value } } }')],
    # writes last: they change what later probes would read
    "Mutation.runCompliance": [
        Probe(f'mutation {{ runCompliance(countyCode: "522728", {AS_OF}) {{ run {{ id }} }} }}', role="ADMIN", scope=None)],
    "Mutation.applyRotationPlan": [
        Probe('mutation { applyRotationPlan(countyCode: "522728", month: "2023-05") { changed } }', role="ADMIN", scope=None)],
}
