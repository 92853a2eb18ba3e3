"""Cost is work, not objects (DESIGN §7): every root field and every field that declares work is measured on the demo.

The measure is what the request sent to the database: rows read plus `ROWS_PER_STATEMENT` per statement
(tests/cost/work.py), the unit the declared weights are written in (schema/cost.py). A probe's measured work must
fit what the cost limit charges for it (objects plus declared weights: `server.limits.query_cost`), and a field
without a declared weight whose probe reads more than `HEAVY` row-equivalents beyond its objects is heavy and must
declare its work. Not timed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from graphql import GraphQLObjectType, parse

import server.limits
from core.settings import Settings
from schema.cost import ROWS_PER_STATEMENT, declared_work
from server.graphql import build_graphql_schema
from server.limits import query_cost
from tests.conftest import ClientFactory
from tests.cost.probes import PROBES, Probe
from tests.cost.work import count_work

SCHEMA = build_graphql_schema(Settings())._schema
HEAVY = 1_000  # row-equivalents beyond a probe's objects: ~50 ms of a worker on the demo, the size of a big page
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # rows and statements are the backend's alike


def _weighed_fields() -> set[str]:
    """Every field of the schema whose definition declares work."""
    found = set()
    for named in SCHEMA.type_map.values():
        if isinstance(named, GraphQLObjectType) and not named.name.startswith("__"):
            for name, field in named.fields.items():
                definition = (field.extensions or {}).get("strawberry-definition")
                if declared_work(getattr(definition, "metadata", None)) is not None:
                    found.add(f"{named.name}.{name}")
    return found


def _measured_fields() -> set[str]:
    """What must be measured: every root query field, and every field (mutations included) declaring work."""
    return {f"Query.{name}" for name in SCHEMA.query_type.fields} | _weighed_fields()


@contextmanager
def _without_weights() -> Iterator[None]:
    """The limiter as if no field declared work: the objects alone."""
    saved = server.limits.declared_work
    server.limits.declared_work = lambda _metadata: None
    try:
        yield
    finally:
        server.limits.declared_work = saved


def _costs(probe: Probe) -> tuple[int, int]:
    """(the cost the limit charges, the cost of its objects alone)."""
    definitions = parse(probe.document).definitions
    with _without_weights():
        objects = query_cost(SCHEMA, definitions, None, {})
    return query_cost(SCHEMA, definitions, None, {}), objects


def test_every_root_field_and_weighed_field_has_a_probe() -> None:
    assert _measured_fields() - set(PROBES) == set(), "add a probe to tests/cost/probes.py"
    assert {"Village.ledger", "Query.mediationVisitCounts", "Query.ruleReport", "Township.compliance", "County.statistics",
            "Query.rotationPlan", "Mutation.applyRotationPlan", "Mutation.runCompliance"} <= _weighed_fields()


@sqlite_only
async def test_measured_work_fits_the_declared_weight_and_heavy_fields_declare_it(demo: str, client_for: ClientFactory) -> None:
    clients = {}
    over, undeclared, report = [], [], []
    weighed = _weighed_fields()
    for field, probes in PROBES.items():
        for probe in probes:
            key = (probe.role, probe.scope)
            if key not in clients:
                clients[key] = await client_for(probe.role, probe.scope)
            with count_work() as work:
                response = await clients[key].post("/graphql", json={"query": probe.document})
            body = response.json()
            assert response.status_code == 200 and not body.get("errors"), (field, body)
            measured = work.rows + ROWS_PER_STATEMENT * work.statements
            charged, objects = _costs(probe)
            report.append(f"{field}: {work.statements} statements, {work.rows} rows = {measured}; charged {charged} (objects {objects})")
            if field in weighed and measured > charged:
                over.append(f"{field}: measured {measured} > charged {charged} for {probe.document}")
            if measured > objects + HEAVY and field not in weighed:
                undeclared.append(f"{field}: measured {measured}, objects {objects}, no declared work")
    print("\n".join(report))
    assert not over, "\n".join(over)
    assert not undeclared, "\n".join(undeclared)
