"""The roster invariants (DESIGN §1), held by the database so no writer (API, import, a script) can break them.

- A role assignment's and a supervision assignment's first day is on or before its last.
- A single-holder role (every role but bureau leadership members and business staff: grid
  worker, household head, chief convener, convener, party-group leader, bureau head) has at most
  one holder per unit on any day.

PostgreSQL: CHECK constraints and an exclusion constraint over inclusive date ranges (`btree_gist`
lets the role and unit id share the gist index). SQLite has neither `ADD CONSTRAINT` nor
exclusion constraints: BEFORE INSERT / BEFORE UPDATE triggers abort the statement instead. Both
surface as an IntegrityError naming the constraint, which the roster service maps to a userError.
"""

from __future__ import annotations

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

# Frozen here as of this migration (models.people.MULTI_HOLDER_ROLES is the code's copy; a test checks they agree).
MULTI_HOLDER = ("BUREAU_LEADER", "BUREAU_STAFF")
UNIT_COLUMNS = ("county_id", "township_id", "grid_id", "household_group_id", "party_group_id")
DAYS_IN_ORDER = "role_assignment_days_in_order"
ONE_HOLDER = "role_assignment_one_holder"
SUPERVISION_DAYS_IN_ORDER = "supervision_assignment_days_in_order"

_MULTI = ", ".join(f"'{role}'" for role in MULTI_HOLDER)

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"ALTER TABLE role_assignment ADD CONSTRAINT {DAYS_IN_ORDER} "
    "CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)",
    f"ALTER TABLE role_assignment ADD CONSTRAINT {ONE_HOLDER} EXCLUDE USING gist ("
    f" role WITH =, (coalesce({', '.join(UNIT_COLUMNS)})) WITH =,"
    " daterange(valid_from, valid_to, '[]') WITH &&"
    f") WHERE (role NOT IN ({_MULTI}))",
    f"ALTER TABLE supervision_assignment ADD CONSTRAINT {SUPERVISION_DAYS_IN_ORDER} "
    "CHECK (valid_to IS NULL OR valid_from <= valid_to)",
]

# SQLite stores dates as ISO text: comparing the strings compares the days.
_OVERLAP = ("(o.valid_to IS NULL OR NEW.valid_from IS NULL OR NEW.valid_from <= o.valid_to)"
            " AND (NEW.valid_to IS NULL OR o.valid_from IS NULL OR o.valid_from <= NEW.valid_to)")


def _sqlite_triggers() -> list[str]:
    statements = []
    for event in ("INSERT", "UPDATE"):
        suffix = event.lower()
        statements.append(
            f"CREATE TRIGGER {DAYS_IN_ORDER}_{suffix} BEFORE {event} ON role_assignment "
            "WHEN NEW.valid_from IS NOT NULL AND NEW.valid_to IS NOT NULL AND NEW.valid_from > NEW.valid_to "
            f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {DAYS_IN_ORDER}'); END"
        )
        statements.append(
            f"CREATE TRIGGER {SUPERVISION_DAYS_IN_ORDER}_{suffix} BEFORE {event} ON supervision_assignment "
            "WHEN NEW.valid_to IS NOT NULL AND NEW.valid_from > NEW.valid_to "
            f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {SUPERVISION_DAYS_IN_ORDER}'); END"
        )
        same_row = " AND o.id <> NEW.id" if event == "UPDATE" else ""
        for column in UNIT_COLUMNS:  # one trigger per unit link, so each lookup uses that link's index
            statements.append(
                f"CREATE TRIGGER {ONE_HOLDER}_{column}_{suffix} BEFORE {event} ON role_assignment "
                f"WHEN NEW.{column} IS NOT NULL AND NEW.role NOT IN ({_MULTI}) AND EXISTS ("
                f"SELECT 1 FROM role_assignment o WHERE o.role = NEW.role AND o.{column} = NEW.{column}{same_row} AND {_OVERLAP}) "
                f"BEGIN SELECT RAISE(ABORT, 'exclusion constraint failed: {ONE_HOLDER}'); END"
            )
    return statements


def _breaches_sql() -> str:
    """Stored rows that already break an invariant (SQLite's triggers would not see them; PostgreSQL would refuse obscurely)."""
    reversed_days = ("SELECT 'role assignment ' || id || ' ends before it starts' AS breach FROM role_assignment "
                     "WHERE valid_from IS NOT NULL AND valid_to IS NOT NULL AND valid_from > valid_to "
                     "UNION ALL SELECT 'supervision assignment ' || id || ' ends before it starts' FROM supervision_assignment "
                     "WHERE valid_to IS NOT NULL AND valid_from > valid_to")
    overlaps = [
        f"SELECT 'role assignments ' || a.id || ' and ' || o.id || ' hold ' || a.role || ' on the same days' FROM role_assignment a "
        f"JOIN role_assignment o ON o.role = a.role AND o.{column} = a.{column} AND o.id > a.id "
        f"WHERE a.role NOT IN ({_MULTI}) AND {_OVERLAP.replace('NEW.', 'a.')}"
        for column in UNIT_COLUMNS
    ]
    return " UNION ALL ".join([reversed_days, *overlaps])


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    breaches = [row["breach"] for row in await client.execute_query_dict(_breaches_sql())]
    if breaches:
        raise RuntimeError(f"the stored roster breaks DESIGN §1's invariants ({len(breaches)}): {'; '.join(breaches[:20])}. "
                           "Correct those assignments (endRole, or the import file), then migrate again.")
    statements = POSTGRES if client.capabilities.dialect == "postgres" else _sqlite_triggers()
    for sql in statements:
        await client.execute_script(sql)


class Migration(migrations.Migration):
    dependencies = [("lianxi", "0004_speed")]

    operations = [ops.RunPython(forward)]
