"""The worst GraphQL documents a client can send within the body and token limits, for the validation-time tests."""

from __future__ import annotations

from typing import Any


def fragment_fan_out(levels: int = 40) -> str:
    """`F1 { ...F0 ...F0 } … Fn { ...Fn-1 ...Fn-1 }`: 2^n spreads when expanded naively."""
    fragments = ["fragment F0 on Query { __typename counties { code } }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"query {{ ...F{levels} }} " + " ".join(fragments)


def nested_fragment_fan_out(levels: int = 30) -> str:
    """Fan-out through object fields, so the cost and depth walks descend at every level."""
    fragments = ["fragment G0 on County { code townships { code } }"]
    fragments += [f"fragment G{i} on County {{ a: townships {{ county {{ ...G{i - 1} }} }} b: townships {{ county {{ ...G{i - 1} }} }} }}" for i in range(1, levels + 1)]
    return f'query {{ county(code: "522728") {{ ...G{levels} }} }} ' + " ".join(fragments)


def inline_fan_out(levels: int = 8) -> str:
    """Fan-out without fragment names: inline fragments nested two per level (no memo possible, but no expansion either)."""
    body = "__typename"
    for _ in range(levels):
        body = f"... on Query {{ {body} }} ... on Query {{ {body} }}"
    return f"query {{ {body} }}"


def wide_aliases(count: int = 1300) -> str:
    return "query { " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"


def same_field_many_times(count: int = 3960) -> str:
    """One response name many times: the field-merging rule compares pairs."""
    return "query { " + " ".join("counties { code }" for _ in range(count // 4)) + " }"


def conflicting_aliases(count: int = 360) -> str:
    return "query { " + " ".join(f'x: county(code: "{i}") {{ code }}' for i in range(count)) + " }"


def deep_nesting(depth: int = 400) -> str:
    return "query { " + "counties { townships { " * (depth // 4) + "code" + " } }" * (depth // 4) + " }"


def many_variables(count: int = 985) -> tuple[str, dict[str, Any]]:
    declared = " ".join(f"$v{i}: String" for i in range(count))
    return f"query({declared}) {{ __typename }}", {f"v{i}": "x" * 800 for i in range(count)}


def many_directives(count: int = 560) -> str:
    return "query { __typename " + " ".join("@include(if: true)" for _ in range(count)) + " }"


def huge_variables(size: int = 900_000) -> tuple[str, dict[str, Any]]:
    """Variables near the body limit: a wide list of nested objects."""
    items = [{"a": [1, 2, {"b": "c"}]} for _ in range(size // 24)]
    return "query($x: String) { __typename }", {"x": items}


def documents() -> dict[str, tuple[str, dict[str, Any]]]:
    """name → (query, variables)."""
    plain = {
        "fragment fan-out": fragment_fan_out(), "nested fragment fan-out": nested_fragment_fan_out(),
        "inline fan-out": inline_fan_out(), "wide aliases": wide_aliases(), "one field many times": same_field_many_times(),
        "conflicting aliases": conflicting_aliases(), "deep nesting": deep_nesting(), "many directives": many_directives(),
    }
    found: dict[str, tuple[str, dict[str, Any]]] = {name: (query, {}) for name, query in plain.items()}
    found["many variables"] = many_variables()
    found["huge variables"] = huge_variables()
    found["nested empty lists"] = nested_empty_lists()
    found["many numbers"] = many_numbers()
    return found


def nested_empty_lists(size: int = 900_000) -> tuple[str, dict[str, Any]]:
    """The slowest JSON to decode per byte: empty arrays."""
    return "query($x: String) { __typename }", {"x": [[]] * (size // 3)}


def many_numbers(size: int = 900_000) -> tuple[str, dict[str, Any]]:
    return "query($x: [Int!]) { __typename }", {"x": [1] * (size // 2)}
