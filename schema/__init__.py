"""What the API looks like: the Query (and later Mutation/Subscription) composed from each domain."""

from __future__ import annotations

from schema.build import build_schema

__all__ = ["build_schema"]
