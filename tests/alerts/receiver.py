"""A real local webhook receiver: a Starlette app on uvicorn in the test's event loop, recording what arrives.

It can refuse the first requests (HTTP 503), and it can be started late — before that, the port is
closed and senders get connection errors, as when a county office's server is down.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    port: int
    refuse_first: int = 0
    received: list[Received] = field(default_factory=list)
    refused: int = 0
    _server: uvicorn.Server | None = None
    _task: asyncio.Task[Any] | None = None

    async def _handle(self, request: Request) -> JSONResponse:
        if self.refused < self.refuse_first:
            self.refused += 1
            return JSONResponse({"error": "busy"}, status_code=503)
        self.received.append(Received(request.url.path, dict(request.query_params), dict(request.headers), await request.body()))
        return JSONResponse({"errcode": 0, "errmsg": "ok"})

    async def start(self) -> None:
        app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["POST"])])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off", ws="none")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
