"""Typed reads of one JSON object that record a problem (with its path) instead of raising."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from core.text_policy import TextKind, date_problem, text_problem
from models.columns import MAX_INT
from server.load.errors import Problems

E = TypeVar("E", bound=StrEnum)

# ASCII digits only: `\d` also matches full-width and Arabic-Indic digits (core/text_policy.py)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})?")


class _Missing:
    """Marks a key that is absent (different from an explicit null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def child(path: str, key: str | int) -> str:
    """The JSON path of a member or an item: `a.b`, `a[3]`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def parse_date(raw: Any) -> date | None:
    """A calendar date written exactly as YYYY-MM-DD, or None."""
    if not isinstance(raw, str) or not _DATE.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def parse_datetime(raw: Any) -> tuple[datetime | None, str]:
    """An ISO-8601 instant that carries its offset, converted to UTC; else (None, why)."""
    if not isinstance(raw, str):
        return None, "must be an ISO-8601 date-time string with an offset, e.g. 2023-05-02T10:00:00+08:00"
    match = _DATETIME.fullmatch(raw)
    if not match:
        return None, f"{raw!r} is not an ISO-8601 date-time (YYYY-MM-DDTHH:MM[:SS][±HH:MM])"
    if match.group("offset") is None:
        return None, f"{raw!r} has no UTC offset; write the offset (e.g. +08:00) so the instant is unambiguous"
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None, f"{raw!r} is not a valid date-time"
    return value.astimezone(UTC), ""


class Obj:
    """One JSON object at a path: rejects unknown keys and reads typed members."""

    def __init__(self, problems: Problems, path: str, raw: Any, keys: frozenset[str] | set[str]) -> None:
        self.problems = problems
        self.path = path
        self.ok = isinstance(raw, Mapping)
        self.raw: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        if not self.ok:
            problems.add(path, f"must be an object, got {_kind(raw)}")
            return
        for key in self.raw:
            if key not in keys:
                problems.add(child(path, str(key)), f"unknown key {key!r} (expected one of: {', '.join(sorted(keys))})")

    def at(self, key: str) -> str:
        return child(self.path, key)

    def has(self, key: str) -> bool:
        return key in self.raw

    def _get(self, key: str, required: bool) -> Any:
        value = self.raw.get(key, MISSING)
        if value is MISSING or value is None:
            if required and self.ok:
                self.problems.add(self.at(key), "is required")
            return MISSING
        return value

    def text(self, key: str, *, required: bool = True, max_length: int = 64, kind: TextKind = TextKind.TEXT) -> str | None:
        """A non-empty string no longer than the column holding it, of the API's input policy for its `kind`."""
        value = self._get(key, required)
        if value is MISSING:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problems.add(self.at(key), f"must be a non-empty string, got {_kind(value)}")
            return None
        if len(value) > max_length:
            self.problems.add(self.at(key), f"is {len(value)} characters long; at most {max_length} are allowed")
            return None
        if (why := text_problem(kind, value)) is not None:
            self.problems.add(self.at(key), why)
            return None
        return value

    def integer(self, key: str, *, required: bool = True, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
        """An integer within [minimum, maximum] (booleans and floats are refused)."""
        value = self._get(key, required)
        if value is MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.add(self.at(key), f"must be an integer, got {_kind(value)}")
            return None
        if not minimum <= value <= maximum:
            bound = f"≥ {minimum}" if maximum == MAX_INT else f"between {minimum} and {maximum}"
            self.problems.add(self.at(key), f"must be {bound}, got {value}")
            return None
        return value

    def enum(self, key: str, enum: type[E], *, required: bool = True, default: E | None = None) -> E | None:
        """One of the enumeration's names, spelled exactly."""
        value = self._get(key, required and default is None)
        if value is MISSING:
            return default
        if isinstance(value, str) and value in enum.__members__:
            return enum(value)
        choices = ", ".join(enum.__members__)
        self.problems.add(self.at(key), f"{value!r} is not a valid {enum.__name__} (expected one of: {choices})")
        return None

    def date(self, key: str, *, required: bool = True) -> date | None:
        """A date written YYYY-MM-DD."""
        value = self._get(key, required)
        if value is MISSING:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problems.add(self.at(key), f"{value!r} is not a date written YYYY-MM-DD")
        elif (why := date_problem(parsed)) is not None:
            self.problems.add(self.at(key), why)
            return None
        return parsed

    def datetime(self, key: str, *, required: bool = True) -> datetime | None:
        """An instant with its offset, returned in UTC."""
        value = self._get(key, required)
        if value is MISSING:
            return None
        parsed, why = parse_datetime(value)
        if parsed is None:
            self.problems.add(self.at(key), why)
        elif (out_of_range := date_problem(parsed)) is not None:
            self.problems.add(self.at(key), out_of_range)
            return None
        return parsed

    def items(self, key: str, *, required: bool = False) -> Iterator[tuple[str, Any]]:
        """The (path, item) pairs of a list member; absent or null gives nothing."""
        value = self._get(key, required)
        if value is MISSING:
            return
        if not isinstance(value, list):
            self.problems.add(self.at(key), f"must be a list, got {_kind(value)}")
            return
        for index, item in enumerate(value):
            yield child(self.at(key), index), item

    def ref(self, key: str, known: Mapping[str, Any] | set[str], what: str, *, required: bool = True) -> str | None:
        """A reference by id or code to something in the document or the database."""
        value = self.text(key, required=required)
        if value is not None and value not in known:
            self.problems.add(self.at(key), f"unknown {what} {value!r} (not in the document nor in the database)")
            return None
        return value


def _kind(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    match value:
        case None:
            return "null"
        case bool():
            return "a boolean"
        case int() | float():
            return f"the number {value!r}"
        case str():
            return f"the string {value!r}"
        case list():
            return "a list"
        case Mapping():
            return "an object"
    return type(value).__name__
