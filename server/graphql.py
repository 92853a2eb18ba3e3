"""The GraphQL endpoint: strawberry's ASGI app with our typed context, limits, access rules and error masking."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType as CoreOperationType
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import SchemaExtension
from strawberry.http.base import HTTPException
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from resolvers.context import Context
from schema.input_policy import apply_input_policy
from schema.root_guard import guard_root_fields
from schema import build_schema
from server.alerting.hub import HUB
from server.auth.http import replay_body, socket_guard, viewer_from_scope
from server.auth.revocation import WATCH
from server.auth.tokens import AuthenticationError, authenticate
from server.graphiql import graphiql_response
from server.fastpath.lean_fields import lean_fields
from server.fastpath.direct_execution import DirectQueries, operation_of
from server.parse_cache import parsed
from server.request_extension import RequestPolicy, request_extension, request_policy
from server.fastpath.response_cache import CachedResponse, ResponseCache, cacheable, data_version, request_key
from core.settings import Settings

SUBSCRIPTION_OVER_HTTP = (
    "Subscriptions are served over a websocket, not HTTP: connect to /graphql (ws:// or wss://) with the "
    "graphql-transport-ws protocol and send the token in connection_init as {\"Authorization\": \"Bearer …\"}."
)
Extension = type[SchemaExtension] | Callable[[], SchemaExtension]


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


def build_graphql_schema(settings: Settings, *, lean: bool | None = None, policy: RequestPolicy | None = None,
                         extensions: Sequence[Extension] = ()) -> Any:
    """One extension per operation (server/request_extension.py, held to `policy`, by default `settings'`), then
    `extensions` (a tracer, a limiter added later: they run on every path, see server/fastpath/direct_execution.py);
    every root field is guarded.

    `lean` (by default `settings.fastpath`) takes per-field work out of execution (server/fastpath/lean_fields.py).
    """
    schema = build_schema([request_extension(policy or request_policy(settings)), *extensions])
    lean = settings.fastpath if lean is None else lean
    schema = lean_fields(schema) if lean else schema
    return guard_root_fields(schema, apply_input_policy(schema))


class LianxiGraphQL(GraphQL[Context, None]):
    """Builds a fresh `Context` (and so fresh DataLoaders) for every request and websocket.

    HTTP requests arrive authenticated (server.auth.http.GraphQLGate put the Viewer in the scope);
    websockets authenticate in `connection_init` with `{"Authorization": "Bearer …"}`.
    Only graphql-transport-ws is spoken: it is the protocol whose `connection_init` we check.
    """

    def __init__(self, settings: Settings, *, extensions: Sequence[Extension] = ()) -> None:
        """`settings.fastpath` off: strawberry answers everything (no direct path, lean fields or response cache)."""
        policy = request_policy(settings)
        schema = build_graphql_schema(settings, policy=policy, extensions=extensions)
        super().__init__(schema, graphql_ide="graphiql", subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        self.settings = settings
        self.responses = ResponseCache(settings.response_cache_mb * 2**20 if settings.fastpath else 0)
        self.direct = DirectQueries(schema, policy, self._context, self.get_sub_response) if settings.fastpath else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """With the fast path on, POSTed queries go to `_answer` (the direct path, the response cache); everything else
        to strawberry."""
        viewer = viewer_from_scope(scope) if self.direct is not None and scope["type"] == "http" and scope.get("method") == "POST" else None
        if viewer is None:
            await super().__call__(scope, receive, send)
            return
        body = await _read_body(receive)
        replay = replay_body(body, receive)
        if not self.responses.enabled:
            await self._answer(scope, replay, send, body, viewer)
            return
        request = await request_key(body, self.settings.max_tokens)
        version = await data_version() if request is not None else None
        if request is None or version is None:
            await self._answer(scope, replay, send, body, viewer)
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

            await self._answer(scope, replay, capture, body, viewer)
            answer = b"".join(captured["chunks"])
            if "status" in captured and cacheable(captured["status"], answer):
                self.responses.put(key, CachedResponse(captured["status"], captured["headers"], answer))

    async def _answer(self, scope: Scope, receive: Receive, send: Send, body: bytes, viewer: Any) -> None:
        """A query that parses and validates cleanly is executed directly (server/fastpath/direct_execution.py); anything else,
        and every error before execution, is strawberry's to answer."""
        answered = await self.direct.answer(scope, receive, body, viewer) if self.direct is not None else None
        if answered is None:
            await super().__call__(scope, receive, send)
            return
        await self.create_response(*answered)(scope, receive, send)

    async def execute_single(self, request: Any, request_adapter: Any, sub_response: Response, context: Any, root_value: Any,
                             request_data: Any) -> Any:
        """A subscription POSTed over HTTP is the client's mistake (GraphiQL makes it when a named subscription is run at
        once): it answers 400 with a GraphQL error saying where subscriptions are served, instead of being executed
        as a query (which ended in "Internal server error.")."""
        if await self._is_subscription(request_data.query, request_data.operation_name):
            sub_response.status_code = 400
            return ExecutionResult(data=None, errors=[GraphQLError(SUBSCRIPTION_OVER_HTTP, extensions={"code": "SUBSCRIPTION_OVER_HTTP"})])
        return await super().execute_single(request, request_adapter, sub_response, context, root_value, request_data)

    async def _is_subscription(self, query: Any, name: Any) -> bool:
        if not isinstance(query, str) or (name is not None and not isinstance(name, str)):
            return False
        try:
            document = await parsed(query, max_tokens=self.settings.max_tokens)
        except GraphQLError:
            return False  # strawberry answers the syntax error
        operation = operation_of(document, name)
        return isinstance(operation, OperationDefinitionNode) and operation.operation is CoreOperationType.SUBSCRIPTION

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

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        """strawberry's response, with the body encoded to bytes once (its default goes through `encode_json`'s str);
        the direct path (`_answer`) passes bytes it encoded itself."""
        body = response_data if isinstance(response_data, bytes) else orjson.dumps(response_data, option=orjson.OPT_NON_STR_KEYS)
        response = Response(body, media_type="application/json")
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        if sub_response.status_code:
            response.status_code = sub_response.status_code
        return response

    def parse_json(self, data: str | bytes) -> Any:
        """A request body (or GET `variables`) must be a JSON object: no batches, no bare `null`."""
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict):
            raise HTTPException(400, "The request body must be a JSON object like {\"query\": \"…\"}")
        return parsed

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        return self._context(request, response, viewer_from_scope(request.scope) if isinstance(request, Request) else None)

    def _context(self, request: Request | WebSocket, response: Response | WebSocket, viewer: Any) -> Context:
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
