"""Every validation pass is linear in the document: fragments are measured once, however often they are spread."""

from __future__ import annotations

import time

from graphql import parse, validate

from server.graphql import build_graphql_schema
from server.limits import aliases_rule, depth_rule, query_cost
from core.settings import Settings
from tests.security.hostile_documents import fragment_fan_out, nested_fragment_fan_out

SCHEMA = build_graphql_schema(Settings())._schema


def test_a_fragment_fan_out_is_costed_exactly_in_linear_time() -> None:
    started = time.perf_counter()
    cost = query_cost(SCHEMA, parse(fragment_fan_out(60)).definitions, None, {})
    assert time.perf_counter() - started < 0.05
    assert cost == 2**60 * 10  # each F0 asks for the counties list (10 by estimate)


def test_depth_and_alias_limits_count_expanded_fragments_in_linear_time() -> None:
    document = parse(nested_fragment_fan_out(40))
    started = time.perf_counter()
    errors = validate(SCHEMA, document, [depth_rule(200), aliases_rule(30)])
    assert time.perf_counter() - started < 0.05
    assert [e.message for e in errors] == [f"{2 * (2**40 - 1)} aliases found. Allowed: 30"]  # depth 3 per level: 120 < 200
    assert "exceeds maximum operation depth of 12" in validate(SCHEMA, document, [depth_rule(12)])[0].message


def test_query_cost_honours_default_values_of_variables() -> None:
    document = parse("query($f: Int = 100) { cases(first: $f) { edges { node { number } } } }")
    assert query_cost(SCHEMA, document.definitions, None, {}) == 1 + 100 + 100
    assert query_cost(SCHEMA, document.definitions, None, {"f": 5}) == 1 + 5 + 5
