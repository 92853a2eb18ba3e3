"""The GraphQL endpoint: strawberry's ASGI app with our typed context, limits and error masking."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)

from resolvers.context import Context
from resolvers.errors import ExpectedError
from schema import build_schema
from server.settings import Settings

def is_unexpected(error: GraphQLError) -> bool:
    """Mask an error unless it is a GraphQL syntax/validation error or one we raised on purpose."""
    original = error.original_error
    return original is not None and not isinstance(original, ExpectedError)


def build_graphql_schema(settings: Settings) -> Any:
    """Extensions are passed as factories so each request gets fresh instances."""
    extensions: list[Any] = [
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: MaskErrors(should_mask_error=is_unexpected, error_message="Internal server error."),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return build_schema(extensions)


class LianxiGraphQL(GraphQL[Context, None]):
    """Builds a fresh `Context` (and so fresh DataLoaders) for every request and websocket."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(build_graphql_schema(settings), graphql_ide="graphiql")
        self.settings = settings

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        return Context(request=request, response=response, settings=self.settings)
