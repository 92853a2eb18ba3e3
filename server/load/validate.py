"""Validates a whole lianxi/v1 document against itself and the database, collecting every problem before any write."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from rules.config import RulesConfig
from server.load.context import Context
from server.load.errors import MAX_PROBLEMS, LoadError, LoadProblem, Problems
from server.load.existing import Existing
from server.load.plan import Plan
from server.load.reader import Obj, child
from server.load.validate_cases import check_cases, declare_cases
from server.load.validate_meetings import check_meetings, check_visits
from server.load.validate_units import check_counties, check_people, declare_units

FORMAT = "lianxi/v1"
TOP_KEYS = frozenset({"format", "people", "counties", "meetings", "cases", "mediationVisits"})


def nul_paths(value: Any, path: str = "") -> Iterator[str]:
    """The path of every string (key or value) holding U+0000."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            inner = child(path, str(key))
            if isinstance(key, str) and "\x00" in key:
                yield inner
            yield from nul_paths(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_paths(item, child(path, index))


def refuse_nul(document: Mapping[str, Any], *, cap: int = MAX_PROBLEMS) -> None:
    """Raise LoadError naming every NUL, before anything of the document reaches the database (the stored rows are
    read by the codes the document names, and PostgreSQL refuses a NUL even in a query parameter)."""
    problems = Problems(cap)
    for path in nul_paths(document):
        problems.add(path, "contains a NUL character (U+0000), which no database column can store")
    problems.raise_if_any()


def validate_document(document: Mapping[str, Any], existing: Existing, *, rules: RulesConfig, cap: int = MAX_PROBLEMS) -> Plan:
    """The typed plan of a valid document; raises LoadError listing every problem (with paths) otherwise."""
    if not isinstance(document, Mapping):
        raise LoadError([LoadProblem("", "the document must be a JSON object with \"format\": \"lianxi/v1\"")])
    problems = Problems(cap)
    for path in nul_paths(document):
        problems.add(path, "contains a NUL character (U+0000), which no database column can store")
    root = Obj(problems, "", document, TOP_KEYS)
    if document.get("format") != FORMAT:
        problems.add("format", f"must be {FORMAT!r}, got {document.get('format')!r}")
    ctx = Context(problems=problems, existing=existing, rules=rules)
    people = list(root.items("people"))
    counties = list(root.items("counties"))
    cases = list(root.items("cases"))
    ctx.people.update(existing.people)
    ctx.people.update(raw["id"] for _, raw in people if isinstance(raw, Mapping) and isinstance(raw.get("id"), str))
    ctx.townships.update(existing.townships)
    declare_units(ctx, counties)
    declare_cases(ctx, cases)
    check_people(ctx, people)
    check_counties(ctx, counties)
    check_cases(ctx, cases)
    check_meetings(ctx, list(root.items("meetings")))
    check_visits(ctx, list(root.items("mediationVisits")))
    problems.raise_if_any()
    return ctx.plan
