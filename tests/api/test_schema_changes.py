"""A frontend is never broken silently: `schema.graphql` against the released schema (`schema.released.graphql`).

graphql-core's own detection (the one graphql-inspector and Apollo's checks build on) finds the changes; a
breaking one fails here unless CHANGELOG.md lists it as `BREAKING: <TYPE> <path>`; the dangerous ones (an enum
value added: a client's exhaustive switch) are printed in the terminal summary (tests/conftest.py).
"""

from __future__ import annotations

from graphql import build_schema

from tests.schema_changes import CHANGELOG, RELEASED, schemas, unlisted_breaking_changes


def test_no_breaking_change_since_the_release_unless_the_changelog_lists_it() -> None:
    released, current = schemas()
    unlisted = unlisted_breaking_changes(released, current, CHANGELOG.read_text(encoding="utf-8"))
    assert not unlisted, ("breaking changes since schema.released.graphql; keep the old field/argument, or list each in "
                          "CHANGELOG.md as `BREAKING: <line>`:\n" + "\n".join(unlisted))


def test_a_removed_field_is_caught_and_a_listed_one_passes() -> None:
    """The check itself: removing Person.roles breaks; naming it in the changelog lets it through."""
    released, _ = schemas()
    without = build_schema(RELEASED.read_text(encoding="utf-8").replace(
        '  """Roles held in units inside the token\'s jurisdiction."""\n  roles: [RoleAssignment!]!\n', "", 1))
    assert unlisted_breaking_changes(released, without, "") == [
        "FIELD_REMOVED Person.roles  (Field Person.roles was removed.)"]
    assert unlisted_breaking_changes(released, without, "- BREAKING: FIELD_REMOVED Person.roles (use Person.holdings)") == []
    required = build_schema(RELEASED.read_text(encoding="utf-8").replace("  roles: [RoleAssignment!]!\n", "  roles(on: Date!): [RoleAssignment!]!\n", 1))
    assert unlisted_breaking_changes(released, required, "") == ["REQUIRED_ARG_ADDED Person.roles(on)  (A required argument Person.roles(on:) was added.)"]


def test_the_released_schema_is_a_valid_schema_and_today_only_adds() -> None:
    released, current = schemas()
    assert set(released.type_map) <= set(current.type_map)
