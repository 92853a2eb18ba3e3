"""Set-based upserts by natural key: one bulk insert for new rows, one bulk update for changed rows, nothing else."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any

from pypika_tortoise import Table
from pypika_tortoise.terms import Parameter
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from models.select_any import any_of
from server.load.summary import EntityCounts

BATCH = 500


async def upsert(
    db: BaseDBAsyncClient,
    model: type[Model],
    wanted: Mapping[Hashable, dict[str, Any]],
    stored: Mapping[Hashable, Model],
    counts: EntityCounts,
    *,
    touch: Iterable[Hashable] = (),
) -> bool:
    """Create rows that are missing, update only rows whose values differ (or are touched); True if any was created."""
    touched = set(touch)
    new: list[Model] = []
    changed: list[Model] = []
    changed_fields: set[str] = set()
    for key, values in wanted.items():
        row = stored.get(key)
        if row is None:
            new.append(model(**values))
            continue
        diff = [name for name, value in values.items() if getattr(row, name) != value]
        if not diff and key not in touched:
            counts.unchanged += 1
            continue
        for name in diff:
            setattr(row, name, values[name])
        changed_fields.update(diff)
        changed.append(row)
    if new:
        await model.bulk_create(new, batch_size=BATCH, using_db=db)
        counts.created += len(new)
    if changed:
        if "updated_at" in model._meta.fields_map:
            changed_fields.add("updated_at")  # auto_now: the bulk update stamps it
        if changed_fields:
            await model.bulk_update(changed, fields=sorted(changed_fields), batch_size=BATCH, using_db=db)
        counts.updated += len(changed)
    return bool(new)


async def ids_by_key(db: BaseDBAsyncClient, model: type[Model], key: str, keys: Collection[Any]) -> dict[Any, int]:
    """Natural key → id for the rows with these keys, in one query (after a bulk insert, which returns no ids).

    Only the document's keys: reading the whole table made the n-th county's import cost O(database)
    (1.9 M rows read back for one county imported into 88).
    """
    if not keys:
        return {}
    where, parameter = any_of(db, f'"{key}"', list(keys))
    rows = await db.execute_query_dict(f'SELECT "{key}" AS "key", "id" FROM "{model._meta.db_table}" WHERE {where}', [parameter])
    return {row["key"]: row["id"] for row in rows}


async def delete_ids(db: BaseDBAsyncClient, model: type[Model], ids: Sequence[int]) -> None:
    """Delete rows by id, in batches that stay under every backend's parameter limit."""
    for start in range(0, len(ids), BATCH):
        await model.filter(id__in=ids[start : start + BATCH]).using_db(db).delete()


async def link_rows(db: BaseDBAsyncClient, table: str, columns: tuple[str, str], pairs: Sequence[tuple[int, int]], *, insert: bool) -> None:
    """Insert or delete rows of a many-to-many table with one executemany (no model exists for it)."""
    if not pairs:
        return
    target = Table(table)
    first, second = Parameter(idx=1), Parameter(idx=2)  # rendered ? or $n by the connection's dialect
    if insert:
        query = db.query_class.into(target).columns(*columns).insert(first, second)
    else:
        query = db.query_class.from_(target).where(target[columns[0]] == first).where(target[columns[1]] == second).delete()
    await db.execute_many(query.get_sql(), [list(pair) for pair in pairs])
