"""The tortoise engine named in the PostgreSQL config (server/db.py): asyncpg, with per-request connections
(server/fastpath/request_connection.py)."""

from server.fastpath.request_connection import PinnedAsyncpgClient as client_class

__all__ = ["client_class"]
