"""Base DataLoaders: one SQL statement per batch, however many parents asked.

Every relation the API exposes goes through a per-request `<Targets>By<Key>Loader`, so the number of
statements for a nested query depends on its depth, never on the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

import orjson
from strawberry.dataloader import DataLoader
from tortoise.fields import BigIntField, CharField, IntField, SmallIntField, TextField
from tortoise.models import Model

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

# SQLite accepts 32,766 bound parameters and asyncpg 32,767; stay well below both.
MAX_BATCH = 10_000


class RowLoader(DataLoader[K, T], Generic[K, T]):
    """Loads one row (or None) per key; subclasses say which model and which key column."""

    model: ClassVar[type[Model]]
    key: ClassVar[str] = "id"

    def __init__(self) -> None:
        super().__init__(load_fn=self.batch_load, max_batch_size=MAX_BATCH)

    def query(self, keys: Sequence[K]) -> Any:
        return self.model.filter(**{f"{self.key}__in": list(keys)})

    async def batch_load(self, keys: list[K]) -> list[T | None]:
        rows = {getattr(row, self.key): row for row in await self.query(keys)}
        return [rows.get(key) for key in keys]


class RowsLoader(DataLoader[K, list[T]], Generic[K, T]):
    """Loads the list of child rows per parent key, in the model's default order."""

    model: ClassVar[type[Model]]
    key: ClassVar[str]

    def __init__(self) -> None:
        super().__init__(load_fn=self.batch_load, max_batch_size=MAX_BATCH)

    def query(self, keys: Sequence[K]) -> Any:
        return self.model.filter(**{f"{self.key}__in": list(keys)})

    async def batch_load(self, keys: list[K]) -> list[list[T]]:
        grouped: dict[K, list[T]] = defaultdict(list)
        for row in await self.query(keys):
            grouped[getattr(row, self.key)].append(row)
        return [grouped.get(key, []) for key in keys]


def any_of(db: Any, column: str, values: Collection[Any]) -> tuple[str, Any]:
    """`column` in `values` as SQL with ONE parameter: a PostgreSQL array (`= ANY($1)`) or a SQLite JSON array.

    Building `IN ($1, …, $n)` with the ORM costs microseconds per bound value (thousands per tree
    request) and every list length is a new prepared statement; one array parameter costs neither.
    """
    if db.capabilities.dialect == "postgres":
        kind = "bigint" if all(isinstance(v, int) for v in values) else "text"
        return f"{column} = ANY($1::{kind}[])", list(values)
    return f"{column} IN (SELECT value FROM json_each(?))", orjson.dumps(list(values)).decode()


_PLAIN_FIELDS = (IntField, CharField, TextField, SmallIntField, BigIntField)


async def rows_any(
    model: type[Model], key: str, values: Collection[Any], columns: Sequence[str], *, order: str = ""
) -> list[dict[str, Any]]:
    """Plain rows (`columns`, typed as the ORM types them) of `model` whose `key` is in `values`, in one statement."""
    if not values:
        return []
    db = model._meta.db
    where, parameter = any_of(db, f'"{key}"', values)
    select = ", ".join(f'"{column}"' for column in columns)
    sql = f'SELECT {select} FROM "{model._meta.db_table}" WHERE {where}{f" ORDER BY {order}" if order else ""}'
    rows = [dict(row) for row in await db.execute_query_dict(sql, [parameter])]
    fields = model._meta.fields_map
    typed = [(c, fields[c].to_python_value) for c in columns if c in fields and type(fields[c]) not in _PLAIN_FIELDS]
    for row in rows:
        for column, convert in typed:
            if row[column] is not None:
                row[column] = convert(row[column])
    return rows
