"""The one schema extension of every operation: limits, cached parsing and validation, timing, error masking.

strawberry wraps each hook of each extension in a context manager and an exit stack on every
request; as eight extensions (token limit, two rule adders, parser cache, cost limiter, validation
cache, timer, masking) that machinery was ~a quarter of a small query's CPU. The steps live in
their own modules (server/limits.py, server/parse_cache.py, server/validation_cache.py,
server/metrics.py); this class calls them in order from three hooks.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from time import perf_counter

from graphql import GraphQLError, NoSchemaIntrospectionCustomRule, specified_rules
from strawberry.extensions import MaskErrors, SchemaExtension
from tortoise.exceptions import ValidationError

from core.errors import BadInput, ExpectedError
from core.settings import Settings
from schema.build import is_variable_error
from server.limits import NoNulInDocument, aliases_rule, depth_rule
from server.metrics import observe_operation
from server.parse_cache import parsed
from server.validation_cache import Validation


def is_unexpected(error: GraphQLError) -> bool:
    """Mask an error unless it is a GraphQL syntax/validation error, a refused variable or one we raised on purpose."""
    original = error.original_error
    return original is not None and not isinstance(original, (ExpectedError, GraphQLError)) and not is_variable_error(error)


def _input_error(error: GraphQLError) -> GraphQLError:
    """An argument the database layer refuses (too long for its column) is the client's error, named as such."""
    original = error.original_error
    if not isinstance(original, ValidationError):
        return error
    field, _, reason = str(original).rpartition(": ")
    limit = re.search(r"> (\d+)$", reason)
    detail = f"longer than {limit.group(1)} characters" if limit else "not a valid value"
    problem = BadInput(field or "argument", detail)
    return GraphQLError(problem.message, error.nodes, error.source, error.positions, error.path, problem)


MASKED_MESSAGE = "Internal server error."


@dataclass(frozen=True)
class RequestPolicy:
    """What every operation is held to, built once per app: the token limit, the cached validation, the masking."""

    max_tokens: int
    validation: Validation

    @staticmethod
    def mask(errors: list[GraphQLError]) -> list[GraphQLError]:
        """Errors as the client sees them: a refused argument named as such, anything unexpected anonymised
        (as strawberry's MaskErrors does: the message replaced, the location and path kept)."""
        shown = []
        for error in map(_input_error, errors):
            if is_unexpected(error):
                error = GraphQLError(MASKED_MESSAGE, error.nodes, error.source, error.positions, error.path)
            shown.append(error)
        return shown


def request_policy(settings: Settings) -> RequestPolicy:
    """The rules and caches of `settings`' limits."""
    # Ours rather than strawberry's QueryDepthLimiter / MaxAliasesLimiter: those expand fragments without memoizing
    # (exponential in a fan-out of fragments); server.limits measures each fragment once.
    limits = (depth_rule(settings.max_query_depth), aliases_rule(settings.max_aliases))
    introspection = () if settings.introspection else (NoSchemaIntrospectionCustomRule,)
    validation = Validation((*specified_rules, *limits, NoNulInDocument, *introspection), limits=limits, max_cost=settings.max_query_cost)
    return RequestPolicy(max_tokens=settings.max_tokens, validation=validation)


def request_extension(policy: RequestPolicy) -> Callable[[], SchemaExtension]:
    """The factory strawberry calls once per operation."""

    class RequestExtension(MaskErrors):
        """Masks errors with `RequestPolicy.mask` (results and streamed results alike); see the module docstring."""

        # server/fastpath/direct_execution.py does what these hooks do (parse and validation caches, masking, timing);
        # an extension without this line in its own class body makes the direct path decline every request
        DIRECT_PATH_DOES_THIS = True

        def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
            return policy.mask(errors)

        def on_operation(self) -> Iterator[None]:
            started = perf_counter()
            yield from super().on_operation()  # masking, once the result is there
            context = self.execution_context
            observe_operation(context.operation_name, context.operation_type, perf_counter() - started)

        async def on_parse(self) -> AsyncIterator[None]:
            context = self.execution_context
            if context.query is not None and context.graphql_document is None:
                context.graphql_document = await parsed(context.query, max_tokens=policy.max_tokens)  # strawberry then skips its parse
            yield

        async def on_validate(self) -> AsyncIterator[None]:
            context = self.execution_context
            if context.graphql_document is not None and context.query is not None:
                variables = context.variables if isinstance(context.variables, dict) else None
                context.pre_execution_errors = await policy.validation.errors(
                    context.schema._schema, context.graphql_document, context.query, context.operation_name, variables)
            yield

    return RequestExtension
