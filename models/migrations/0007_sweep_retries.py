"""A sweep day that was refused or failed is not done: the claim keeps its last attempt for the retry and `/healthz`.

`attempts` counts the tries of the county-day, `failed_at` is the sweep pass of the last failed one (a pass does not
retry what it already tried; the next pass does), `error` is what `/healthz` shows for it (server/sweep_claims.py).
`sweep_claim` stays outside the data version (0004_speed.UNVERSIONED): no cached answer reads it.
"""

from __future__ import annotations

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

COLUMNS = {
    "postgres": ("attempts INTEGER NOT NULL DEFAULT 0", "failed_at TIMESTAMPTZ", "error TEXT"),
    "sqlite": ("attempts INTEGER NOT NULL DEFAULT 0", "failed_at TIMESTAMP", "error TEXT"),
}


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    for column in COLUMNS["postgres" if client.capabilities.dialect == "postgres" else "sqlite"]:
        await client.execute_script(f"ALTER TABLE sweep_claim ADD COLUMN {column}")


class Migration(migrations.Migration):
    dependencies = [("lianxi", "0006_rotation")]

    operations = [ops.RunPython(forward)]
