"""Every library internal Lianxi relies on, in one list: private names (`_meta`, `_schema`, `_pool`, …) and the
not-exported functions and methods the fast path calls or overrides, each with the files that use it and, for a
callable, its signature as the pinned versions have it (pyproject.toml pins strawberry, graphql-core, tortoise and
asyncpg exactly).

tests/test_private_names.py checks each entry against the installed libraries — gone, or a different signature,
fails naming it — and checks the code against the list: a private name used on a library object in a file the list
does not name fails too, so an upgrade is a deliberate change that starts here.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Any

# our own packages: private names inside them are ours to change
OWN = ("models", "rules", "core", "resolvers", "schema", "server", "benchmarks", "tests")
CLI = tuple(f"server/cli/{name}.py" for name in ("check", "demo", "load", "replay", "report", "serve", "token"))


@dataclass(frozen=True)
class Internal:
    """`owner` ("module" or "module:Class") holds `name`.

    kind "attr": `getattr(owner, name)` exists (and, with `signature`, `str(inspect.signature(...))` is that);
    kind "self": an instance attribute: a dataclass field of `owner`, or assigned as `self.<name>` in the source of
    `owner` or one of its bases."""

    owner: str
    name: str
    used_in: tuple[str, ...]
    signature: str | None = None
    kind: str = "attr"

    @property
    def label(self) -> str:
        return f"{self.owner}.{self.name}"


MODEL_META_FILES = ("models/select_any.py", "models/select_rows.py", "resolvers/cases/queries.py", "resolvers/meetings/queries.py",
                    "resolvers/units/queries.py", "resolvers/people/holders.py", "server/load/existing.py", "server/load/upsert.py")
INIT_FROM_DB_FILES = ("models/select_any.py", "models/select_rows.py", "resolvers/cases/queries.py", "resolvers/units/queries.py")
SCHEMA_FILES = ("schema/build.py", "schema/root_guard.py", "server/fastpath/direct_execution.py", "server/fastpath/lean_fields.py",
                "server/request_extension.py", "schema/input_policy.py")

INTERNALS: tuple[Internal, ...] = (
    # strawberry
    Internal("strawberry.schema.schema:Schema", "_schema", SCHEMA_FILES, kind="self"),
    Internal("strawberry.types.info:Info", "_raw_info", ("resolvers/selection.py", "server/fastpath/lean_fields.py"), kind="self"),
    Internal("strawberry.types.info:Info", "_field", ("server/fastpath/lean_fields.py",), kind="self"),
    Internal("strawberry.types.info:Info", "__init__", ("server/fastpath/lean_fields.py",),
             "(self, _raw_info: 'GraphQLResolveInfo', _field: 'StrawberryField') -> None"),
    Internal("strawberry.types.arguments", "_is_leaf_type", ("server/fastpath/argument_conversion.py",),
             "(type_: 'StrawberryType | type', scalar_registry: 'Mapping[object, ScalarWrapper | ScalarDefinition]', "
             "skip_classes: 'tuple[type, ...]' = ()) -> 'bool'"),
    Internal("strawberry.extensions:MaskErrors", "_process_errors", ("server/request_extension.py",),
             "(self, errors: list[graphql.error.graphql_error.GraphQLError]) -> list[graphql.error.graphql_error.GraphQLError]"),
    Internal("strawberry.schema.schema", "validate_document", ("server/validation_cache.py",),
             "(schema: 'GraphQLSchema', document: 'DocumentNode', validation_rules: 'tuple[type[ASTValidationRule], ...]') -> "
             "'list[GraphQLError]'"),
    Internal("strawberry.execution.is_awaitable", "optimized_is_awaitable", ("server/fastpath/direct_execution.py",), "(value: 'Any') -> 'bool'"),
    # graphql-core, through strawberry's execution context (server/fastpath/lean_execution.py overrides and calls these)
    Internal("strawberry.schema.schema:StrawberryGraphQLCoreExecutionContext", "collect_and_execute_subfields",
             ("server/fastpath/lean_execution.py",),
             "(self, return_type: 'GraphQLObjectType', field_details_list: 'FieldDetailsList', path: 'Path', result: 'Any', "
             "position_context: 'TContext | None') -> 'AwaitableOrValue[dict[str, Any]]'"),
    Internal("strawberry.schema.schema:StrawberryGraphQLCoreExecutionContext", "collect_subfields", ("server/fastpath/lean_execution.py",),
             "(self, return_type: 'GraphQLObjectType', field_details_list: 'FieldDetailsList') -> 'CollectedFields'"),
    Internal("strawberry.schema.schema:StrawberryGraphQLCoreExecutionContext", "middleware_manager",
             ("server/fastpath/lean_execution.py",), kind="self"),
    Internal("graphql.validation.rules.overlapping_fields_can_be_merged", "MAX_COMPLEXITY_BUDGET", ("server/limits.py",)),
    # tortoise
    Internal("tortoise.models:Model", "_meta", MODEL_META_FILES),
    *(Internal("tortoise.models:MetaInfo", name, MODEL_META_FILES) for name in ("db", "db_table", "fields_db_projection", "fields_map")),
    Internal("tortoise.models:Model", "_init_from_db", INIT_FROM_DB_FILES, "(**kwargs: 'Any') -> 'MODEL'"),
    Internal("tortoise.backends.asyncpg.client:AsyncpgDBClient", "_pool", ("server/fastpath/request_connection.py",), kind="self"),
    Internal("tortoise.backends.asyncpg.client:AsyncpgDBClient", "acquire_connection", ("server/fastpath/request_connection.py",),
             "(self) -> 'ConnectionWrapper | PoolConnectionWrapper'"),
    Internal("tortoise.backends.asyncpg.client:AsyncpgDBClient", "create_pool", ("server/fastpath/request_connection.py",),
             "(self, **kwargs) -> 'asyncpg.Pool'"),
    Internal("tortoise.backends.asyncpg.client:AsyncpgDBClient", "pool_maxsize", ("server/fastpath/request_connection.py",), kind="self"),
    Internal("tortoise.backends.sqlite.client:SqliteClient", "_connection", ("server/fastpath/response_cache.py",), kind="self"),
    # asyncpg (server/fastpath/kept_connections.py wraps the pool tortoise makes)
    Internal("asyncpg.pool:Pool", "acquire", ("server/fastpath/kept_connections.py",), "(self, *, timeout=None)"),
    Internal("asyncpg.pool:Pool", "release", ("server/fastpath/kept_connections.py",), "(self, connection, *, timeout=None)"),
    Internal("asyncpg.pool:Pool", "expire_connections", ("server/fastpath/kept_connections.py",), "(self)"),
    Internal("asyncpg.connection:Connection", "get_reset_query", ("server/db.py",), "(self)"),
    # durable-rules (rules/engine.py drives a ruleset without a Host)
    Internal("durable.engine:Ruleset", "_handle", ("rules/engine.py",), kind="self"),
    Internal("durable.engine:Ruleset", "_handle_result", ("rules/engine.py",), "(self, result, message)"),
    Internal("durable.engine:Ruleset", "_flush_actions", ("rules/engine.py",), "(self, state, result_container, state_offset, complete)"),
    Internal("durable.engine:Ruleset", "do_actions", ("rules/engine.py",), "(self, state_handle, complete)"),
    Internal("durable.engine:Ruleset", "__init__", ("rules/engine.py",), "(self, name, host, ruleset_definition)"),
    # the standard library
    Internal("logging", "_srcfile", ("server/logs.py",)),
    Internal("argparse", "_SubParsersAction", CLI),
    Internal("enum:Enum", "_value2member_map_", ("models/select_rows.py",)),
)


def resolve(owner: str) -> Any:
    """The module or class `owner` names ("module" or "module:Class.Nested")."""
    module, _, path = owner.partition(":")
    found: Any = importlib.import_module(module)
    for part in filter(None, path.split(".")):
        found = getattr(found, part)
    return found


def assigned_on_self(cls: type, name: str) -> bool:
    """Whether `cls` or a base declares `name` as a dataclass field or assigns `self.<name>` in its source."""
    if name in getattr(cls, "__dataclass_fields__", {}):
        return True
    for klass in inspect.getmro(cls):
        try:
            source = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        if f"self.{name} =" in source or f"self.{name}: " in source:
            return True
    return False


def problem(entry: Internal) -> str | None:
    """What is wrong with `entry` in the installed libraries, or None."""
    try:
        owner = resolve(entry.owner)
    except (ImportError, AttributeError) as exc:
        return f"{entry.owner} is gone ({exc})"
    if entry.kind == "self":
        return None if isinstance(owner, type) and assigned_on_self(owner, entry.name) else f"{entry.label} is no longer assigned"
    if not hasattr(owner, entry.name):
        return f"{entry.label} is gone"
    if entry.signature is not None:
        found = str(inspect.signature(getattr(owner, entry.name)))
        if found != entry.signature:
            return f"{entry.label} changed signature: {found} (expected {entry.signature})"
    return None
