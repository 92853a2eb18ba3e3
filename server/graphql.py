"""The GraphQL endpoint: strawberry's ASGI app with our typed context, limits, access rules and error masking."""

from __future__ import annotations

import json
import re
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.base import HTTPException
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from tortoise.exceptions import ValidationError

from resolvers.context import Context
from resolvers.errors import BadInput, ExpectedError
from resolvers.permissions import guard_root_fields
from schema import build_schema
from server.auth.http import viewer_from_scope
from server.auth.tokens import AuthenticationError, authenticate
from server.limits import query_cost_limiter
from server.settings import Settings


def is_unexpected(error: GraphQLError) -> bool:
    """Mask an error unless it is a GraphQL syntax/validation error or one we raised on purpose."""
    original = error.original_error
    return original is not None and not isinstance(original, ExpectedError)


class LianxiMaskErrors(MaskErrors):
    """Masks unexpected errors; an argument the database layer refuses (too long for its column) is the client's error."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return super()._process_errors([_input_error(error) for error in errors])


def _input_error(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if not isinstance(original, ValidationError):
        return error
    field, _, reason = str(original).rpartition(": ")
    limit = re.search(r"> (\d+)$", reason)
    detail = f"longer than {limit.group(1)} characters" if limit else "not a valid value"
    problem = BadInput(field or "argument", detail)
    return GraphQLError(problem.message, error.nodes, error.source, error.positions, error.path, problem)


def build_graphql_schema(settings: Settings) -> Any:
    """Extensions are passed as factories so each request gets fresh instances; every root field is guarded."""
    extensions: list[Any] = [
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        query_cost_limiter(settings.max_query_cost),
        lambda: LianxiMaskErrors(should_mask_error=is_unexpected, error_message="Internal server error."),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return guard_root_fields(build_schema(extensions))


class LianxiGraphQL(GraphQL[Context, None]):
    """Builds a fresh `Context` (and so fresh DataLoaders) for every request and websocket.

    HTTP requests arrive authenticated (server.auth.http.GraphQLGate put the Viewer in the scope);
    websockets authenticate in `connection_init` with `{"Authorization": "Bearer …"}`.
    Only graphql-transport-ws is spoken: it is the protocol whose `connection_init` we check.
    """

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_graphql_schema(settings), graphql_ide="graphiql", subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,)
        )
        self.settings = settings

    def decode_json(self, data: str | bytes) -> object:
        """JSON bodies and websocket messages; too deep or not UTF-8 is a client error (400), not a crash."""
        try:
            return json.loads(data)
        except (RecursionError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise json.JSONDecodeError(f"not JSON ({type(exc).__name__})", "", 0) from None

    def parse_json(self, data: str | bytes) -> Any:
        """A request body (or GET `variables`) must be a JSON object: no batches, no bare `null`."""
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict):
            raise HTTPException(400, "The request body must be a JSON object like {\"query\": \"…\"}")
        return parsed

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        viewer = viewer_from_scope(request.scope) if isinstance(request, Request) else None
        return Context(request=request, response=response, settings=self.settings, viewer=viewer)

    async def on_ws_connect(self, context: Context) -> None:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        header = params.get("Authorization") or params.get("authorization")
        try:
            context.viewer = await authenticate(header if isinstance(header, str) else None)
        except AuthenticationError as exc:
            raise ConnectionRejectionError({"message": str(exc)}) from exc
