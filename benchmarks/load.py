"""A lean HTTP/1.1 keep-alive load generator (asyncio streams): the client's own CPU stays small beside the servers'."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import orjson


class Client:
    """One keep-alive connection sending POST /graphql and reading each answer whole (Content-Length or chunked)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, headers: dict[str, str]) -> None:
        self.reader, self.writer = reader, writer
        self.address = urlsplit(f"http://{host}")
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.head = f"POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nAccept: application/json\r\n{extra}"

    @classmethod
    @asynccontextmanager
    async def open(cls, base: str, headers: dict[str, str]) -> AsyncIterator[Client]:
        parts = urlsplit(base)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        client = cls(reader, writer, parts.netloc, headers)
        try:
            yield client
        finally:
            client.writer.close()
            with contextlib.suppress(ConnectionError):
                await client.writer.wait_closed()

    async def ask(self, query: str, variables: dict[str, Any]) -> bytes:
        body = orjson.dumps({"query": query, "variables": variables})
        request = f"{self.head}Content-Length: {len(body)}\r\n\r\n".encode() + body
        self.writer.write(request)
        try:
            status = await self.reader.readline()
        except ConnectionError:
            status = b""
        if status == b"":  # the server closed an idle keep-alive connection: open a new one and ask again
            self.writer.close()
            self.reader, self.writer = await asyncio.open_connection(self.address.hostname, self.address.port)
            self.writer.write(request)
            status = await self.reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"HTTP {status!r}")
        length, chunked = None, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if not chunked:
            return await self.reader.readexactly(length or 0)
        chunks = []
        while (size := int((await self.reader.readline()).strip(), 16)) > 0:
            chunks.append(await self.reader.readexactly(size))
            await self.reader.readline()
        await self.reader.readline()
        return b"".join(chunks)


async def run_clients(
    *, base: str, headers: dict[str, str], query: str, variables: dict[str, Any], clients: int, per_client: int
) -> tuple[list[float], float]:
    """`clients` connections each sending `per_client` requests back to back (after one warm-up each): latencies and wall seconds."""

    async def one(client: Client) -> list[float]:
        times = []
        for _ in range(per_client):
            started = time.perf_counter()
            answer = await client.ask(query, variables)
            times.append(time.perf_counter() - started)
            if answer.startswith(b'{"errors"'):
                raise RuntimeError(answer[:300].decode())
        return times

    opened = [Client.open(base, headers) for _ in range(clients)]
    connections = [await c.__aenter__() for c in opened]
    try:
        await asyncio.gather(*(client.ask(query, variables) for client in connections))
        started = time.perf_counter()
        results = await asyncio.gather(*(one(client) for client in connections))
        seconds = time.perf_counter() - started
    finally:
        for c in opened:
            await c.__aexit__(None, None, None)
    return [t for result in results for t in result], seconds
