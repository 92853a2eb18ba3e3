"""`filter: {countyCode, townshipCode, villageCode}` as conditions, the same for every list that has them."""

from __future__ import annotations

from typing import Any

from tortoise.queryset import QuerySet


def under_units(query: QuerySet[Any], *, township_path: str, county_code: str | None, township_code: str | None,
                village_path: str | None = None, village_code: str | None = None) -> QuerySet[Any]:
    """Rows under the given county, township and village codes; `township_path` (`township`, `village__township`)
    and `village_path` lead from a row to its township and village."""
    if county_code:
        query = query.filter(**{f"{township_path}__county__code": county_code})
    if township_code:
        query = query.filter(**{f"{township_path}__code": township_code})
    if village_code and village_path:
        query = query.filter(**{f"{village_path}__code": village_code})
    return query
