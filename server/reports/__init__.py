"""Auditor reports rendered in five formats (`formats`); the report itself is built by `core.reports`."""
