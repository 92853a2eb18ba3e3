"""Queries answered by graphql-core directly: the same parse and validation caches, the same execution, the same
masking, without strawberry's HTTP view and extension runner around them.

A query that does nothing (`{ __typename }`) cost 0.44 ms of server CPU through uvicorn, Starlette, strawberry's
view (request adapter, body parsing, result processing) and its extension runner (an execution context, hook
context managers and exit stacks) — as much as PostGraphile's whole warm village lookup. For a POST of JSON
whose operation is a query that parses and validates cleanly, this module does what those layers do for it:
the document from server/parse_cache.py, its errors from server/validation_cache.py, graphql-core's `execute`
with the schema's execution context (server/fastpath/lean_execution.py), errors masked and logged exactly as
server/request_extension.py and schema/build.py do, the duration observed, `{"data", "errors"}` encoded once.
Anything else — other content types, GET, mutations, subscriptions, syntax or validation errors, `@defer` —
returns None and takes strawberry's path, which answers as it always did.

One execution entry point for extensions: the direct path does the work of the schema extensions marked
`DIRECT_PATH_DOES_THIS` (server/request_extension.py) and of nothing else. When the schema carries any other
extension (a tracer, a limiter added later) or a custom directive, every request is declined and strawberry's
runner runs them: an extension is never silently skipped (tests/server/test_extensions_run.py).
"""

from __future__ import annotations

from time import perf_counter
from typing import Any

import orjson
from graphql import ExecutionResult, GraphQLError, OperationDefinitionNode, OperationType as CoreOperationType, execute
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.types.graphql import OperationType

from resolvers.context import Context
from server.metrics import observe_operation
from server.parse_cache import parsed
from server.fastpath.request_connection import one_connection
from server.request_extension import RequestPolicy


def operation_of(document: Any, name: str | None) -> OperationDefinitionNode | None:
    """The operation `name` picks (the only one when unnamed), as graphql-core chooses it; None when ambiguous."""
    found = None
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            if name is None:
                if found is not None:
                    return None
                found = definition
            elif definition.name is not None and definition.name.value == name:
                return definition
    return found


DOES_THIS = "DIRECT_PATH_DOES_THIS"


def replicates_extensions(schema: Any) -> bool:
    """Whether `answer` does all that the schema's extensions and directives would: each extension must say so in its
    own class body (not inherited: a subclass may add hooks), and no custom directive may need strawberry's runner."""
    return not schema.directives and all(vars(extension).get(DOES_THIS, False) for extension in schema.extensions)


class DirectQueries:
    """Answers the queries it can (see the module docstring) for one app; strawberry answers the rest."""

    def __init__(self, schema: Any, policy: RequestPolicy, context: Any, sub_response: Any) -> None:
        """`context(request, response, viewer)` makes the request's `Context`; `sub_response(request)` is the view's own
        (strawberry's `get_sub_response`), so headers and a status set on it reach the client on either path."""
        self.schema, self.core, self.policy, self.make_context, self.sub_response = schema, schema._schema, policy, context, sub_response

    async def answer(self, scope: Scope, receive: Receive, body: bytes, viewer: Any) -> tuple[bytes, Response] | None:
        """The response body for this request and the sub-response resolvers may have set headers or a status on
        (as strawberry's `context.response`), or None when strawberry must answer it."""
        if not _is_json(scope) or not replicates_extensions(self.schema):
            return None
        try:
            request = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if type(request) is not dict or request.keys() - {"query", "variables", "operationName", "extensions"}:
            return None
        query, variables, name = request.get("query"), request.get("variables"), request.get("operationName")
        if type(query) is not str or (variables is not None and type(variables) is not dict) or (name is not None and type(name) is not str):
            return None
        try:
            document = await parsed(query, max_tokens=self.policy.max_tokens)
        except GraphQLError:
            return None
        operation = operation_of(document, name)
        if operation is None or operation.operation is not CoreOperationType.QUERY:
            return None
        if await self.policy.validation.errors(self.core, document, query, name, variables):
            return None
        request_object = Request(scope, receive)
        sub_response = await self.sub_response(request_object)
        context: Context = self.make_context(request_object, sub_response, viewer)
        started = perf_counter()
        async with one_connection():
            result = execute(self.core, document, context_value=context, variable_values=variables, operation_name=name,
                             is_awaitable=optimized_is_awaitable, executor_class=self.schema.execution_context_class)
            if optimized_is_awaitable(result):
                result = await result
        if not isinstance(result, ExecutionResult):  # incremental delivery (@defer/@stream): strawberry's business
            return None
        answer: dict[str, Any] = {"data": result.data}
        if result.errors:
            self.schema.process_errors(result.errors)
            answer["errors"] = [error.formatted for error in self.policy.mask(result.errors)]
        observe_operation(operation.name.value if operation.name else None, OperationType.QUERY, perf_counter() - started)
        return orjson.dumps(answer, option=orjson.OPT_NON_STR_KEYS), sub_response


def _is_json(scope: Scope) -> bool:
    for key, value in scope["headers"]:
        if key == b"content-type":
            return value.split(b";", 1)[0].strip().lower() == b"application/json"
    return False
