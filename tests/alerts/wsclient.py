"""A minimal graphql-transport-ws client, as a dashboard would speak it (websockets library)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import websockets


class Subscriber:
    def __init__(self, connection: websockets.ClientConnection) -> None:
        self.connection = connection

    async def subscribe(self, query: str, op_id: str = "1", **variables: Any) -> None:
        await self.connection.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables}}))

    async def subscribed(self) -> None:
        """Round-trip a ping: the server handles messages in order, so the subscription before it is registered."""
        await self.connection.send(json.dumps({"type": "ping"}))
        while True:
            message = json.loads(await self.connection.recv())
            if message["type"] == "pong":
                return
            assert message["type"] == "ping", f"unexpected message before pong: {message}"
            await self.connection.send(json.dumps({"type": "pong"}))

    async def receive(self) -> dict[str, Any]:
        """The next message other than pings."""
        while True:
            message = json.loads(await self.connection.recv())
            if message["type"] == "ping":
                await self.connection.send(json.dumps({"type": "pong"}))
                continue
            return message


@asynccontextmanager
async def subscriber(base_url: str, token: str) -> AsyncIterator[Subscriber]:
    url = base_url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]) as connection:
        await connection.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        ack = json.loads(await connection.recv())
        assert ack["type"] == "connection_ack", ack
        yield Subscriber(connection)
