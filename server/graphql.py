"""The GraphQL endpoint: strawberry's ASGI app with our typed context, limits, access rules and error masking."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
from graphql import GraphQLError, NoSchemaIntrospectionCustomRule
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.base import HTTPException
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxTokensLimiter,
)
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from tortoise.exceptions import ValidationError

from resolvers.context import Context
from core.errors import BadInput, ExpectedError
from schema.root_guard import guard_root_fields
from schema import build_schema
from server.alerting.hub import HUB
from server.auth.http import replay_body, socket_guard, viewer_from_scope
from server.auth.revocation import WATCH
from server.auth.tokens import AuthenticationError, authenticate
from server.graphiql import graphiql_response
from server.lean_fields import lean_fields
from server.limits import aliases_rule, depth_rule, query_cost_limiter
from server.metrics import RequestTimer
from server.response_cache import CachedResponse, ResponseCache, cacheable, data_version, request_key
from server.parse_cache import OffLoopParserCache
from server.validation_cache import cached_validation
from core.settings import Settings


def is_variable_error(error: GraphQLError) -> bool:
    """A variable's value refused before anything ran (wrong type, missing, unknown enum or field, unparsable scalar)."""
    return error.path is None and error.message.startswith("Variable '$")


def is_unexpected(error: GraphQLError) -> bool:
    """Mask an error unless it is a GraphQL syntax/validation error, a refused variable or one we raised on purpose."""
    original = error.original_error
    return original is not None and not isinstance(original, (ExpectedError, GraphQLError)) and not is_variable_error(error)


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


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def build_graphql_schema(settings: Settings, *, lean: bool = True) -> Any:
    """Extensions are passed as factories so each request gets fresh instances; every root field is guarded.

    `lean` (always, except in the test that compares both) takes per-field work out of execution (server/lean_fields.py).
    """
    # The depth and alias rules are built once, so their classes are stable and validation can be cached per query text.
    # Ours rather than strawberry's QueryDepthLimiter / MaxAliasesLimiter: those expand fragments without memoizing
    # (exponential in a fan-out of fragments); server.limits measures each fragment once.
    depth = depth_rule(settings.max_query_depth)
    aliases = aliases_rule(settings.max_aliases)
    extensions: list[Any] = [
        lambda: AddValidationRules([depth]),
        lambda: AddValidationRules([aliases]),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        OffLoopParserCache,  # strawberry's ParserCache, but long texts are parsed off the event loop
        query_cost_limiter(settings.max_query_cost),
        cached_validation((depth, aliases, NoSchemaIntrospectionCustomRule), limits=(depth, aliases)),
        RequestTimer,
        lambda: LianxiMaskErrors(should_mask_error=is_unexpected, error_message="Internal server error."),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    schema = guard_root_fields(build_schema(extensions))
    return lean_fields(schema) if lean else schema


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
        self.responses = ResponseCache(settings.response_cache_mb * 2**20)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a repeated query from the response cache (server/response_cache.py) when nothing it depends on changed."""
        viewer = viewer_from_scope(scope) if scope["type"] == "http" and scope.get("method") == "POST" else None
        if viewer is None or not self.responses.enabled:
            await super().__call__(scope, receive, send)
            return
        body = await _read_body(receive)
        replay = replay_body(body, receive)
        request = await request_key(body, self.settings.max_tokens)
        version = await data_version() if request is not None else None
        if request is None or version is None:
            await super().__call__(scope, replay, send)
            return
        key = self.responses.key(request, viewer, version)
        async with self.responses.flight(key) as cached:
            if cached is not None:
                await send({"type": "http.response.start", "status": cached.status, "headers": cached.headers})
                await send({"type": "http.response.body", "body": cached.body})
                return
            captured: dict[str, Any] = {"chunks": []}

            async def capture(message: Message) -> None:
                if message["type"] == "http.response.start":
                    captured["status"], captured["headers"] = message["status"], list(message.get("headers", []))
                elif message["type"] == "http.response.body":
                    captured["chunks"].append(message.get("body", b""))
                await send(message)

            await super().__call__(scope, replay, capture)
            answer = b"".join(captured["chunks"])
            if "status" in captured and cacheable(captured["status"], answer):
                self.responses.put(key, CachedResponse(captured["status"], captured["headers"], answer))

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our GraphiQL page (server/graphiql.py): local assets instead of strawberry's CDN copy."""
        return graphiql_response()

    def decode_json(self, data: str | bytes) -> object:
        """JSON bodies and websocket messages; too deep or not UTF-8 is a client error (400), not a crash."""
        try:
            return json.loads(data)
        except (RecursionError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise json.JSONDecodeError(f"not JSON ({type(exc).__name__})", "", 0) from None

    def encode_json(self, data: object) -> str:
        """orjson: UTF-8 instead of \\u escapes, several times faster than json.dumps on a county tree (str: websockets send text frames)."""
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()

    def parse_json(self, data: str | bytes) -> Any:
        """A request body (or GET `variables`) must be a JSON object: no batches, no bare `null`."""
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict):
            raise HTTPException(400, "The request body must be a JSON object like {\"query\": \"…\"}")
        return parsed

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        viewer = viewer_from_scope(request.scope) if isinstance(request, Request) else None
        return Context(request=request, response=response, settings=self.settings, viewer=viewer, alert_feed=HUB.subscribe)

    async def on_ws_connect(self, context: Context) -> None:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        header = params.get("Authorization") or params.get("authorization")
        try:
            context.viewer = await authenticate(header if isinstance(header, str) else None)
        except AuthenticationError as exc:
            raise ConnectionRejectionError({"message": str(exc)}) from exc
        if (guard := socket_guard(context.request.scope)) is not None:  # closed when the token is revoked or expires
            WATCH.track(guard, token_id=context.viewer.token_id, expires_at=context.viewer.expires_at)
