"""Facts about the database columns that input is checked against before it reaches them."""

from __future__ import annotations

MAX_INT = 2**31 - 1  # IntField and the serial ids are 32-bit on PostgreSQL
