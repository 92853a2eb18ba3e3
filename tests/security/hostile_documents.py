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
    found |= {name: (query, {}) for name, query in long_texts().items()}  # refused by the text bound before lexing
    found |= {f"{name}, under the text bound": (query, {}) for name, query in long_texts(UNDER_TEXT_BOUND).items()}
    found["many list items"] = many_list_items()
    found["many input objects"] = many_input_objects()
    return found


TEXT_CHARS = 960_000  # what a body of at most LIANXI_MAX_BODY_BYTES (1 MB) can carry beside the JSON around it
UNDER_TEXT_BOUND = 99_900  # server.parse_cache.MAX_QUERY_CHARS is 100,000: the longest texts that are lexed


def long_texts(size: int = TEXT_CHARS) -> dict[str, str]:
    """Few tokens but a near-1 MB text: the token limit counts none of these characters, the lexer reads each one."""
    refused = "nope"  # an unknown field: each is refused by validation, after the whole text is parsed
    escapes = "\\u0041" * (size // 7)  # 6 characters each, 7 bytes in JSON
    fields = same_field_many_times().removeprefix("query { ")
    return {
        "huge string literal": f'query {{ {refused}(x: "{"x" * size}") }}',
        "huge block string": f'query {{ {refused}(x: """{"x" * size}""") }}',
        "huge escapes": f'query {{ {refused}(x: "{escapes}") }}',
        "huge comment": f"query {{ {refused} }}\n#{'x' * size}",
        "huge whitespace": f"query {{ {refused}{' ' * size}}}",
        "many operations": " ".join(f"query Q{i} {{ {refused} }}" for i in range(790)),
        "tokens and a huge comment": f"query {{ {refused} {fields}\n#{'x' * (size - 20_000)}",
    }


def nested_empty_lists(size: int = 900_000) -> tuple[str, dict[str, Any]]:
    """The slowest JSON to decode per byte: empty arrays."""
    return "query($x: String) { __typename }", {"x": [[]] * (size // 3)}


def many_numbers(size: int = 900_000) -> tuple[str, dict[str, Any]]:
    return "query($x: [Int!]) { __typename }", {"x": [1] * (size // 2)}



def many_list_items(count: int = 99_000) -> tuple[str, dict[str, Any]]:
    """A valid list variable near the JSON separator limit: graphql-core coerces each item when execution starts."""
    meeting = {"townshipCode": "522728101", "kind": "THEMATIC", "heldAt": "2024-05-01T09:00:00+08:00", "attendeeIds": ["1"] * count}
    return "mutation($i: RecordMeetingInput!) { recordMeeting(input: $i) { __typename } }", {"i": meeting}


def many_input_objects(count: int = 9_900) -> tuple[str, dict[str, Any]]:
    """Input objects near the JSON container limit, each coerced field by field."""
    case = {"villageCode": "522728101201", "kind": "DISPUTE", "category": "NEIGHBOUR", "channel": "HOME_VISIT",
            "reportedAt": "2024-05-01T09:00:00+08:00", "title": "x", "parties": [{"name": "x", "phone": "1", "idNumber": "2"}] * count}
    return "mutation($i: ReportCaseInput!) { reportCase(input: $i) { __typename } }", {"i": case}
