"""Rows whose key is in a list of ids, bound as ONE parameter (the fact builders' and reconciler's bulk reads).

The ORM's `__in` filter binds every id separately: pypika spends microseconds per value (a county's
household heads: ~7,000 ids per statement, a sweep of 88 counties: millions), each list length is
a new prepared statement, and long lists had to be chunked. A PostgreSQL array (`IN (SELECT unnest($1))`) or a
SQLite JSON array (`IN (SELECT value FROM json_each(?))`) costs none of that. The rules' fact builders and
the API's hierarchy prefetch and role holders share it; it lives in models/ because both layers may import it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeVar

import orjson
from tortoise.fields import BigIntField, CharField, IntField, SmallIntField, TextField
from tortoise.models import Model

M = TypeVar("M", bound=Model)
_PLAIN_FIELDS = (IntField, CharField, TextField, SmallIntField, BigIntField)


def any_of(db: Any, column: str, values: Collection[Any], mark: int = 1) -> tuple[str, Any]:
    """`column` (an SQL expression, quoted by the caller) in `values`, as SQL with the one parameter number `mark`."""
    if db.capabilities.dialect == "postgres":
        kind = "bigint" if all(isinstance(v, int) for v in values) else "text"
        # a join with the unnested array, not `= ANY($1)`: on stale statistics (right after an import) the planner
        # filtered 300k rows against a 7,000-element array one by one (21 s); the join costs 60 ms at worst
        return f"{column} IN (SELECT unnest(${mark}::{kind}[]))", list(values)
    return f"{column} IN (SELECT value FROM json_each(?))", orjson.dumps(list(values)).decode()


async def select_any(
    model: type[Model], columns: Sequence[str], key: str, values: Collection[Any], *, order: str = "", **equal: Any
) -> list[dict[str, Any]]:
    """`columns` of `model`'s rows with `key` in `values` and each `equal` column equal to its value, typed as the
    ORM types them (dates, datetimes, enums), in one statement whatever the number of values; `order` is an
    optional ORDER BY clause (SQL, e.g. '"code"')."""
    if not values:
        return []
    db: Any = model._meta.db
    postgres = db.capabilities.dialect == "postgres"
    condition, parameter = any_of(db, f'"{key}"', values)
    conditions = [condition, *(f'"{column}" = {f"${n}" if postgres else "?"}' for n, column in enumerate(equal, start=2))]
    select = ", ".join(f'"{column}"' for column in columns)
    sql = f'SELECT {select} FROM "{model._meta.db_table}" WHERE {" AND ".join(conditions)}{f" ORDER BY {order}" if order else ""}'
    rows = [dict(row) for row in await db.execute_query_dict(sql, [parameter, *equal.values()])]
    fields = model._meta.fields_map
    typed = [(c, fields[c].to_python_value) for c in columns if c in fields and type(fields[c]) not in _PLAIN_FIELDS]
    for row in rows:
        for column, convert in typed:
            if row[column] is not None:
                row[column] = convert(row[column])
    return rows


async def rows_with_any(model: type[M], key: str, values: Collection[Any]) -> list[M]:
    """`model`'s rows whose field `key` is in `values`, as model instances, in one plain statement (the DataLoaders'
    batches: the ORM's query building cost more than PostgreSQL did for a batch of a few ids)."""
    if not values:
        return []
    db: Any = model._meta.db
    columns = list(model._meta.fields_db_projection.values())
    condition, parameter = any_of(db, f'"{model._meta.fields_db_projection.get(key, key)}"', values)
    selected = ", ".join(f'"{column}"' for column in columns)
    rows = (await db.execute_query(f'SELECT {selected} FROM "{model._meta.db_table}" WHERE {condition}', [parameter]))[1]
    return [model._init_from_db(**dict(zip(columns, row, strict=True))) for row in rows]
