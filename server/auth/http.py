"""The gate in front of /graphql over HTTP: body size limit, then the bearer token.

Pure ASGI, so it sees the request before strawberry parses anything. The GraphiQL page itself
(a browser's GET without a `query`) is served without a token; GraphiQL then sends the token from
its headers panel. Websockets authenticate in `connection_init` (server.graphql.LianxiGraphQL.on_ws_connect);
here they get a `SocketGuard`: messages bounded like bodies, closed when their token is revoked or expires.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers, QueryParams
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.auth.revocation import WATCH, SocketGuard
from server.auth.tokens import AuthenticationError, authenticate
from server.json_shape import json_shape_refusal

REALM = 'Bearer realm="lianxi"'
SOCKET_GUARD = "lianxi_socket_guard"  # scope["state"] key of a websocket's SocketGuard


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status, headers=headers)


def _wants_graphiql(scope: Scope, headers: Headers) -> bool:
    if scope["method"] != "GET" or "query" in QueryParams(scope.get("query_string", b"")):
        return False
    return "text/html" in headers.get("accept", "")


class GraphQLGate:
    """Rejects oversized bodies with 413 and unauthenticated requests with 401; stores the Viewer in scope."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":  # authenticated in connection_init; closed on revocation, expiry or a huge message
            guard = SocketGuard(receive, send, max_message_bytes=self.max_body_bytes)
            await self.app({**scope, "state": {**scope.get("state", {}), SOCKET_GUARD: guard}}, guard.receive, guard.send)
            WATCH.untrack(guard)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await _error(400, "BAD_REQUEST", "invalid Content-Length")(scope, receive, send)
                return
            if int(declared) > self.max_body_bytes:
                await self._too_large()(scope, receive, send)
                return
        if _wants_graphiql(scope, headers):
            await self.app(scope, receive, send)
            return
        try:
            viewer = await authenticate(headers.get("authorization"))
        except AuthenticationError as exc:
            challenge = REALM if not headers.get("authorization") else f'{REALM}, error="invalid_token"'
            await _error(401, "UNAUTHENTICATED", str(exc), {"WWW-Authenticate": challenge})(scope, receive, send)
            return
        body = await self._read_body(receive)
        if body is None:
            await self._too_large()(scope, receive, send)
            return
        if (intricate := json_shape_refusal(body)) is not None:
            await _error(413, "PAYLOAD_TOO_LARGE", intricate)(scope, receive, send)
            return
        scope = {**scope, "state": {**scope.get("state", {}), "viewer": viewer}}
        await self.app(scope, replay_body(body, receive), send)

    def _too_large(self) -> JSONResponse:
        """Built only when a body is refused: a response made for every request was 4 % of a small query's CPU."""
        return _error(413, "PAYLOAD_TOO_LARGE", f"request body larger than {self.max_body_bytes} bytes")

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None once it passes the limit (chunked bodies included)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the already-read body downstream once, then waits on the real channel (disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def viewer_from_scope(scope: Any) -> Any:
    return scope.get("state", {}).get("viewer")


def socket_guard(scope: Any) -> SocketGuard | None:
    return scope.get("state", {}).get(SOCKET_GUARD)
