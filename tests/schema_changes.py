"""`schema.graphql` against the released schema (`schema.released.graphql`), with graphql-core's change detection.

Used by tests/api/test_schema_changes.py (breaking changes) and tests/conftest.py (dangerous ones, printed in the
terminal summary); kept out of the test module so the conftest can import it before pytest rewrites asserts.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphql import BreakingChange, DangerousChange, GraphQLSchema, build_schema, find_breaking_changes, find_dangerous_changes

ROOT = Path(__file__).resolve().parents[1]
RELEASED = ROOT / "schema.released.graphql"
CURRENT = ROOT / "schema.graphql"
CHANGELOG = ROOT / "CHANGELOG.md"


def change_line(change: BreakingChange | DangerousChange) -> str:
    """`FIELD_REMOVED Person.roles`: the change's kind and the schema path graphql-core's description names
    (`Type.field`, `Type.field(arg)`, `Enum.VALUE`, `Union.Member`, or a type's name)."""
    text = change.description
    member = re.match(r"(\w+) was (?:removed from|added to) (?:enum|union) type (\w+)", text)
    if member:
        return f"{change.type.name} {member[2]}.{member[1]}"
    dotted = re.search(r"\w+\.\w+(?:\(\w+:\))?", text)  # Type.field or Type.field(argument:)
    return f"{change.type.name} {dotted[0].replace(':)', ')') if dotted else text.split(' ', 1)[0]}"


def listed_breaking_changes(changelog: str) -> set[str]:
    """Every `BREAKING: <TYPE> <path>` line of the changelog (indented or in a list item)."""
    return {match.strip() for match in re.findall(r"BREAKING:\s*([A-Z_]+ [^\s`]+)", changelog)}


def schemas() -> tuple[GraphQLSchema, GraphQLSchema]:
    return build_schema(RELEASED.read_text(encoding="utf-8")), build_schema(CURRENT.read_text(encoding="utf-8"))


def unlisted_breaking_changes(released: GraphQLSchema, current: GraphQLSchema, changelog: str) -> list[str]:
    listed = listed_breaking_changes(changelog)
    return [f"{change_line(c)}  ({c.description})" for c in find_breaking_changes(released, current) if change_line(c) not in listed]


def dangerous_changes() -> list[str]:
    """The dangerous changes since the release, one line each (printed by tests/conftest.py's terminal summary)."""
    released, current = schemas()
    return [f"{change_line(c)}  ({c.description})" for c in find_dangerous_changes(released, current)]


