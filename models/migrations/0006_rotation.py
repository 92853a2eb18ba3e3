"""Rotation bookkeeping: an attendee row says whether a rotation plan put it there, and for which month.

`meeting_attendee.planned_for` holds the month (`YYYY-MM`) of the plan that wrote the row
(`applyRotationPlan`); NULL for rows people recorded (recordMeeting, updateMeeting, an import). A
later plan of the month replaces planned rows and never recorded ones. Existing rows stay NULL:
the history cannot tell them apart, and keeping them is the safe side.
"""

from __future__ import annotations

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops


async def forward(apps: Any, schema_editor: Any) -> None:
    await schema_editor.client.execute_script('ALTER TABLE "meeting_attendee" ADD COLUMN "planned_for" VARCHAR(7)')


class Migration(migrations.Migration):
    dependencies = [("lianxi", "0005_roster_invariants")]

    operations = [ops.RunPython(forward)]
