"""A page of one table's rows read by a plain SQL statement, without the ORM's query builder.

For a 21-row page of meetings, tortoise spent ~690 µs of CPU (pypika assembling the statement, then
each row through the executor) where the same statement sent directly cost ~190 µs: the difference
was a quarter of a township dashboard's CPU. Used for the pages an API client asks for most
(a township's meetings); conditions are the few a page needs, values are bound, never inlined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, TypeVar

from tortoise.models import Model

from models.select_any import any_of

M = TypeVar("M", bound=Model)
OPERATORS = ("=", ">=", "<", "in", "of code")
# (column, one of OPERATORS, value); "in" takes a collection; "of code" a (table, code) pair: the foreign key column
# points at that table's row with that code (a filter by county or township code, without a join)
Condition = tuple[str, str, Any]


class _Statement:
    """Conditions as SQL with their bound parameters ($n for PostgreSQL, ? for SQLite)."""

    def __init__(self, model: type[Model]) -> None:
        self.model, self.db = model, model._meta.db
        self.postgres = self.db.capabilities.dialect == "postgres"
        self.parameters: list[Any] = []

    def bind(self, column: str, value: Any) -> str:
        field = self.model._meta.fields_map.get(column)
        if isinstance(value, Enum):
            value = value.value
        elif field is not None and value is not None:
            value = field.to_db_value(value, self.model)  # as the ORM binds it (datetimes are UTC, for SQLite as text)
        self.parameters.append(value)
        return f"${len(self.parameters)}" if self.postgres else "?"

    def where(self, conditions: Sequence[Condition]) -> list[str]:
        clauses = []
        for column, operator, value in conditions:
            if operator not in OPERATORS:
                raise ValueError(f"unsupported operator {operator!r}")
            if operator == "of code":
                table, code = value
                clauses.append(f'"{column}" IN (SELECT "id" FROM "{table}" WHERE "code" = {self.bind("", code)})')
            elif operator == "in":
                clause, parameter = any_of(self.db, f'"{column}"', [v.value if isinstance(v, Enum) else v for v in value],
                                           len(self.parameters) + 1)
                self.parameters.append(parameter)
                clauses.append(clause)
            else:
                clauses.append(f'"{column}" {operator} {self.bind(column, value)}')
        return clauses

    def sql(self, select: str, clauses: list[str], tail: str = "") -> str:
        return f'SELECT {select} FROM "{self.model._meta.db_table}"{" WHERE " + " AND ".join(clauses) if clauses else ""}{tail}'


async def select_page_rows(
    model: type[Model], *, columns: Sequence[str], where: Sequence[Condition], order: Sequence[str], after: Sequence[Any] | None,
    limit: int, extra: Sequence[str] = (),
) -> list[Any]:
    """`select_page`'s rows as the driver returns them (asyncpg records, SQLite rows: read by column name), with only
    `columns` (then each `extra` SQL expression, e.g. a correlated subquery): for pages mapped straight into API
    objects, where building model instances cost more than the query."""
    statement = _Statement(model)
    clauses = statement.where(where)
    if after is not None:  # (a > x) OR (a = x AND b > y) …
        ors = []
        for index, column in enumerate(order):
            equal = [f'"{order[i]}" = {statement.bind(order[i], after[i])}' for i in range(index)]
            ors.append("(" + " AND ".join([*equal, f'"{column}" > {statement.bind(column, after[index])}']) + ")")
        clauses.append("(" + " OR ".join(ors) + ")")
    selected = ", ".join([*(f'"{column}"' for column in columns), *extra])
    ordered = ", ".join(f'"{column}"' for column in order)
    sql = statement.sql(selected, clauses, f" ORDER BY {ordered} LIMIT {statement.bind('', limit)}")
    return list((await statement.db.execute_query(sql, statement.parameters))[1])


async def select_page(
    model: type[M], *, where: Sequence[Condition], order: Sequence[str], after: Sequence[Any] | None, limit: int
) -> list[M]:
    """Up to `limit` rows of `model` meeting every condition, in `order` (ascending, the last column unique), strictly
    after the row whose `order` values are `after` (keyset pagination), as model instances."""
    columns = list(model._meta.fields_db_projection.values())
    rows = await select_page_rows(model, columns=columns, where=where, order=order, after=after, limit=limit)
    return [model._init_from_db(**dict(zip(columns, row, strict=True))) for row in rows]


def python_values(model: type[Model], columns: Sequence[str]) -> list[Callable[[Any], Any]]:
    """Per column, what turns a driver's value into the ORM's Python value: nothing when the driver already gives that
    type (asyncpg's datetimes, ints, strings), the field's own conversion otherwise (SQLite's datetime text, enums)."""
    converters: list[Callable[[Any], Any]] = []
    for column in columns:
        field = model._meta.fields_map.get(column)
        enum = getattr(field, "enum_type", None)
        if field is None:
            converters.append(_same)
        elif enum is not None:
            converters.append(_enum_member(enum))
        else:
            converters.append(lambda value, field=field: value if value is None or isinstance(value, field.field_type)
                              else field.to_python_value(value))
    return converters


def _enum_member(enum: Any) -> Callable[[Any], Any]:
    """The member by dict lookup (calling the enum class costs several times more); unknown values as the class says."""
    members = enum._value2member_map_

    def member(value: Any) -> Any:
        if value is None:
            return None
        found = members.get(value)
        return found if found is not None else enum(value)

    return member


def _same(value: Any) -> Any:
    return value


async def count_rows(model: type[Model], *, where: Sequence[Condition]) -> int:
    """How many rows of `model` meet every condition."""
    statement = _Statement(model)
    sql = statement.sql('COUNT(*) AS "n"', statement.where(where))
    return int((await statement.db.execute_query_dict(sql, statement.parameters))[0]["n"])
