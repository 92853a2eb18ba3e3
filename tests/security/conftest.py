"""The two-county world of the access tests (tests/auth/conftest.py), shared here."""

from __future__ import annotations

from tests.auth.conftest import clients, world

__all__ = ["clients", "world"]
