"""The data version the response cache keys on, and the sweep's per-county daily claims.

`data_version` holds one counter. On PostgreSQL a statement trigger on every data table queues one
bump per write transaction and a deferred constraint trigger applies it at commit, so the counter
moves exactly when this database's data does (never for another database on the server) and only
becomes visible together with the write. SQLite keeps its own per-file `data_version` pragma.

`sweep_claim` has one row per (county, county-local day): the process that locks it (`FOR UPDATE
SKIP LOCKED`) runs that county; a killed process's lock dies with its connection.
"""

from __future__ import annotations

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

# Tables whose writes must not invalidate cached answers (no query reads them through the cache).
UNVERSIONED = ("api_token", "sweep_claim", "data_version", "data_version_bump", "tortoise_migrations")

POSTGRES = [
    "CREATE TABLE data_version (id SMALLINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL)",
    "INSERT INTO data_version (id, version) VALUES (1, 1)",
    "CREATE TABLE data_version_bump (id BIGSERIAL PRIMARY KEY)",
    """CREATE FUNCTION lianxi_queue_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('lianxi.version_bumped', true), '') <> 'on' THEN
    PERFORM set_config('lianxi.version_bumped', 'on', true);
    INSERT INTO data_version_bump DEFAULT VALUES;
  END IF;
  RETURN NULL;
END $$""",
    """CREATE FUNCTION lianxi_apply_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_version SET version = version + 1 WHERE id = 1;
  DELETE FROM data_version_bump WHERE id = NEW.id;
  RETURN NULL;
END $$""",
    """CREATE CONSTRAINT TRIGGER data_version_bump_at_commit AFTER INSERT ON data_version_bump
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION lianxi_apply_version_bump()""",
    """CREATE TABLE sweep_claim (
  county_code VARCHAR(6) NOT NULL, day DATE NOT NULL, owner VARCHAR(128), claimed_at TIMESTAMPTZ,
  done_at TIMESTAMPTZ, PRIMARY KEY (county_code, day))""",
]

SQLITE = [
    """CREATE TABLE sweep_claim (
  county_code VARCHAR(6) NOT NULL, day DATE NOT NULL, owner VARCHAR(128), claimed_at TIMESTAMP,
  done_at TIMESTAMP, PRIMARY KEY (county_code, day))""",
]


def version_trigger_sql(table: str) -> str:
    """The statement trigger that makes writes to `table` move the data version."""
    return (
        f'CREATE TRIGGER "{table}_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION lianxi_queue_version_bump()"
    )


async def forward(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if client.capabilities.dialect != "postgres":
        for sql in SQLITE:
            await client.execute_script(sql)
        return
    for sql in POSTGRES:
        await client.execute_script(sql)
    rows = await client.execute_query_dict(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    for row in rows:
        if row["tablename"] not in UNVERSIONED:
            await client.execute_script(version_trigger_sql(row["tablename"]))


class Migration(migrations.Migration):
    dependencies = [("lianxi", "0003_practice")]

    operations = [ops.RunPython(forward)]
