"""Base DataLoaders: one SQL statement per batch, however many parents asked.

Every relation the API exposes goes through a per-request `<Targets>By<Key>Loader`, so the number of
statements for a nested query depends on its depth, never on the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from models.select_any import rows_with_any

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
        """The rows for these keys: by default one plain statement (models/select_any.py); override to filter more."""
        return rows_with_any(self.model, self.key, keys)

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
