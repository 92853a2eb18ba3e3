"""The lianxi/v1 bulk import (`lianxi load FILE`): validate the whole document, then upsert it in one transaction."""

from __future__ import annotations

from server.load.errors import LoadError, LoadProblem
from server.load.service import load_document, load_file, read_document
from server.load.summary import EntityCounts, LoadSummary

__all__ = ["EntityCounts", "LoadError", "LoadProblem", "LoadSummary", "load_document", "load_file", "read_document"]
