"""What the import left in the database, counted per table, to prove 'nothing written' and 'nothing changed'."""

from __future__ import annotations

from tortoise import Tortoise

TABLES = (
    "person", "county", "township", "joint_meeting", "village", "grid", "household_group", "party_group",
    "role_assignment", "supervision_assignment", "meeting", "meeting_attendee", "meeting_case",
    "case", "case_party", "case_event", "mediation_visit",
)


async def row_counts() -> dict[str, int]:
    """Rows per table the import writes to."""
    connection = Tortoise.get_connection("default")
    counts = {}
    for table in TABLES:
        rows = await connection.execute_query_dict(f'SELECT COUNT(*) AS n FROM "{table}"')
        counts[table] = int(rows[0]["n"])
    return counts


async def stamps() -> dict[str, list[str]]:
    """Every updated_at of meetings and cases, to show a reload touched no row."""
    connection = Tortoise.get_connection("default")
    result = {}
    for table in ("meeting", "case"):
        rows = await connection.execute_query_dict(f'SELECT id, updated_at FROM "{table}" ORDER BY id')
        result[table] = [f"{row['id']}:{row['updated_at']}" for row in rows]
    return result
