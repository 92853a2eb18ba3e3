"""Every validation pass is linear in the document: fragments are measured once, however often they are spread.

Linear is checked by counting work, not by timing it: the selection sets each walk visits, against the selection sets
the document holds (a naive walk of these documents visits 2^40 and more)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from graphql import DocumentNode, SelectionSetNode, parse, validate
from graphql.language import Visitor, visit

from server import limits
from server.graphql import build_graphql_schema
from server.limits import aliases_rule, depth_rule, query_cost
from core.settings import Settings
from tests.security.hostile_documents import fragment_fan_out, nested_fragment_fan_out

SCHEMA = build_graphql_schema(Settings())._schema


def _selection_sets(document: DocumentNode) -> int:
    """How many selection sets the document's text holds (fragments once each)."""

    class Count(Visitor):
        found = 0

        def enter_selection_set(self, *_: Any) -> None:
            Count.found += 1

    visit(document, Count())
    return Count.found


def _counted(monkeypatch: pytest.MonkeyPatch, owner: type, name: str = "selection") -> list[int]:
    """Calls of `owner.name` on a selection set (a leaf's missing one is no work) from now on."""
    calls: list[int] = []
    walk: Callable[..., int] = getattr(owner, name)

    def counting(self: Any, selection_set: SelectionSetNode | None, *args: Any) -> int:
        if selection_set is not None:
            calls.append(1)
        return walk(self, selection_set, *args)

    monkeypatch.setattr(owner, name, counting)
    return calls


def test_a_fragment_fan_out_is_costed_exactly_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    document = parse(fragment_fan_out(60))
    walked = _counted(monkeypatch, limits._Costing)
    cost = query_cost(SCHEMA, document.definitions, None, {})
    assert cost == 2**60 * 10  # each F0 asks for the counties list (10 by estimate)
    assert 0 < len(walked) <= _selection_sets(document), (len(walked), _selection_sets(document))


def test_depth_and_alias_limits_count_expanded_fragments_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    document = parse(nested_fragment_fan_out(40))
    walked = _counted(monkeypatch, limits._FragmentMeasure)
    errors = validate(SCHEMA, document, [depth_rule(200), aliases_rule(30)])
    assert [e.message for e in errors] == [f"{2 * (2**40 - 1)} aliases found. Allowed: 30"]  # depth 3 per level: 120 < 200
    assert 0 < len(walked) <= 2 * _selection_sets(document), (len(walked), _selection_sets(document))  # two rules, one walk each
    assert "exceeds maximum operation depth of 12" in validate(SCHEMA, document, [depth_rule(12)])[0].message


def test_query_cost_honours_default_values_of_variables() -> None:
    document = parse("query($f: Int = 100) { cases(first: $f) { edges { node { number } } } }")
    assert query_cost(SCHEMA, document.definitions, None, {}) == 1 + 100 + 100
    assert query_cost(SCHEMA, document.definitions, None, {"f": 5}) == 1 + 5 + 5
