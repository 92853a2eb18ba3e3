"""The input policy (core/text_policy.py) applied by the schema to every argument, by type, before any resolver runs.

A text input declares its kind where it is declared, with the types of schema/text_types.py (`name: PersonName`,
`code: UnitCode`, `note: Note | None`…); a `String` or `ID` that declares none is `TextKind.TEXT` (one line, 200 characters), and every
`Date` and `DateTime` must lie within the API's years. The GraphQL types stay `String`, `Date`… (the API contract
names them); the kind is read from the Python annotation strawberry keeps on each argument and input field.

`apply_input_policy(schema)` wraps every nested field that takes arguments (such as `Village.ledger(period:)`) once
the schema is built and its resolvers rewired, and returns the checks of the root fields, which
`schema.root_guard.guard_root_fields` runs right after the access rules (on the arguments as the client sent them). A refused value never reaches a resolver: a mutation whose
payload carries `userErrors` answers them (code INVALID, the field's path) and writes nothing; any other field
answers a GraphQL error naming the argument (`BadInput`).
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import strawberry
from graphql import (
    GraphQLArgument, GraphQLEnumType, GraphQLInputField, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLObjectType,
    GraphQLResolveInfo, GraphQLScalarType, default_field_resolver, get_named_type,
)

from core.errors import BadInput
from core.text_policy import LIMITS, TextKind, checker, date_problem
from schema.errors import UserError
from schema.root_guard import InputCheck, payload_class, refused_payload

DEFINITION = "strawberry-definition"
Problem = tuple[list[str], str]  # (field path, message)
MAX_PROBLEMS = 50  # problems reported per list: a list of 99,000 bad items is refused with its first ones
# A check returns None (the usual answer, made without allocating) or the problems, each path relative to the value.
Check = Callable[[Any], list[tuple[tuple[str, ...], str]] | None]


def _declared_kind(annotation: Any) -> TextKind | None:
    """The TextKind an annotation declares (inside Optional, lists, unions), or None."""
    if typing.get_origin(annotation) is Annotated:
        kinds = [item for item in annotation.__metadata__ if isinstance(item, TextKind)]
        if kinds:
            return kinds[0]
    for inner in typing.get_args(annotation):
        if (kind := _declared_kind(inner)) is not None:
            return kind
    return None


def _kind(definition: GraphQLArgument | GraphQLInputField) -> TextKind:
    backref = (definition.extensions or {}).get(DEFINITION)
    annotation = getattr(getattr(backref, "type_annotation", None), "annotation", None)
    return _declared_kind(annotation) or TextKind.TEXT


def _no_problems(value: Any) -> None:
    return None


def _text_check(kind: TextKind) -> Check:
    problem = checker(kind)

    def text(value: Any) -> list[tuple[tuple[str, ...], str]] | None:
        if value.__class__ is str and (why := problem(value)) is not None:
            return [((), why)]
        return None

    return text


def _moment(value: Any) -> list[tuple[tuple[str, ...], str]] | None:
    if isinstance(value, date) and (why := date_problem(value)) is not None:
        return [((), why)]
    return None


def _list_check(item: Check, plain_text: bool) -> Check:
    """Each item's check; a list of plain text (ids, case numbers: 99,000 fit in a request) skips the call for the
    usual item, a short printable ASCII string."""
    limit = LIMITS[TextKind.TEXT]

    def each(value: Any) -> list[tuple[tuple[str, ...], str]] | None:
        found: list[tuple[tuple[str, ...], str]] = []
        for index, entry in enumerate(value if isinstance(value, list) else [value]):
            if entry is None or (plain_text and entry.__class__ is str and len(entry) <= limit and entry.isascii() and entry.isprintable()):
                continue
            if (inner := item(entry)) is not None:
                found += [((str(index), *path), why) for path, why in inner]
                if len(found) >= MAX_PROBLEMS:
                    break
        return found or None

    return each


def _check(type_: Any, kind: TextKind, seen: dict[str, Check]) -> Check:
    """The check of one value of a GraphQL input type (made once per argument, at start-up)."""
    if isinstance(type_, GraphQLNonNull):
        return _check(type_.of_type, kind, seen)
    if isinstance(type_, GraphQLList):
        item = _check(type_.of_type, kind, seen)
        plain_text = kind is TextKind.TEXT and isinstance(get_named_type(type_), GraphQLScalarType)
        return _no_problems if item is _no_problems else _list_check(item, plain_text)
    if isinstance(type_, GraphQLInputObjectType):
        return _input_object(type_, seen)
    if isinstance(type_, GraphQLScalarType) and type_.name in ("String", "ID"):
        return _text_check(kind)
    if isinstance(type_, GraphQLScalarType) and type_.name in ("Date", "DateTime"):
        return _moment
    assert isinstance(type_, (GraphQLScalarType, GraphQLEnumType)), type_
    return _no_problems


def _input_object(type_: GraphQLInputObjectType, seen: dict[str, Check]) -> Check:
    if type_.name in seen:
        return lambda value: seen[type_.name](value)  # recursive inputs: the check made for the name
    checks: dict[str, Check] = {}

    def fields(value: Any) -> list[tuple[tuple[str, ...], str]] | None:
        found: list[tuple[tuple[str, ...], str]] = []
        if isinstance(value, dict):
            for name, check in checks.items():
                entry = value.get(name)
                if entry is not None and (inner := check(entry)) is not None:
                    found += [((name, *path), why) for path, why in inner]
        return found or None

    seen[type_.name] = fields
    for name, field in type_.fields.items():
        if (check := _check(field.type, _kind(field), seen)) is not _no_problems:
            checks[name] = check
    return fields


def argument_checks(arguments: dict[str, GraphQLArgument]) -> dict[str, Check]:
    """The check of each argument of a field that has something to check (what `apply_input_policy` runs)."""
    seen: dict[str, Check] = {}
    checks = {name: _check(argument.type, _kind(argument), seen) for name, argument in arguments.items()}
    return {name: check for name, check in checks.items() if check is not _no_problems}


def input_problems(checks: dict[str, Check], args: dict[str, Any]) -> list[Problem]:
    """Every problem of a field's (coerced) arguments, each with its path from the argument's name."""
    problems: list[Problem] = []
    for name, check in checks.items():
        value = args.get(name)
        if value is not None and (found := check(value)) is not None:
            problems += [([name, *path], why) for path, why in found[:MAX_PROBLEMS]]
    return problems[:MAX_PROBLEMS]


def _refusal(schema: strawberry.Schema, info: GraphQLResolveInfo, problems: list[Problem]) -> Any:
    """A payload with one INVALID user error per problem, or (for a field without `userErrors`) a `BadInput`."""
    payload = payload_class(schema, info) if info.parent_type is schema._schema.mutation_type else None
    if payload is None:
        path, message = problems[0]
        raise BadInput(".".join(path), message)
    return refused_payload(payload, [UserError(field=path, code="INVALID", message=message) for path, message in problems])


def _guarded(schema: strawberry.Schema, checks: dict[str, Check], resolve: Callable[..., Any]) -> Callable[..., Any]:
    def checked(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        problems = input_problems(checks, args)
        if problems:
            return _refusal(schema, info, problems)
        return resolve(source, info, **args)

    return checked


def _root_check(schema: strawberry.Schema, checks: dict[str, Check]) -> InputCheck:
    def check(info: GraphQLResolveInfo, args: dict[str, Any]) -> Any:
        problems = input_problems(checks, args)
        return _refusal(schema, info, problems) if problems else None

    return check


def apply_input_policy(schema: strawberry.Schema) -> dict[str, InputCheck]:
    """Wrap every field below the roots that takes arguments with the policy's checks of them (in place), and return
    the checks of the root fields by `Type.field`, for `guard_root_fields` to run once the call is allowed (the access
    rules first: a caller who may not use a field learns that, whatever it sent)."""
    gql = schema._schema
    roots = {gql.query_type, gql.mutation_type, gql.subscription_type}
    by_root: dict[str, InputCheck] = {}
    for named in gql.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        for name, field in named.fields.items():
            checks = argument_checks(field.args) if field.args else {}
            if not checks:
                continue  # no arguments, or numbers and enums only: nothing to check
            if named in roots:
                by_root[f"{named.name}.{name}"] = _root_check(schema, checks)
            else:
                field.resolve = _guarded(schema, checks, field.resolve or default_field_resolver)
    return by_root
