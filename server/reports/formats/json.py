"""The JSON format: `lianxi-report/v1`, documented by server/reports/report.schema.json (JSON Schema 2020-12)."""

from __future__ import annotations

import orjson

from core.reports.model import Report, as_json


def render_json(report: Report) -> bytes:
    """Pretty-printed UTF-8 JSON (Chinese text unescaped), keys in a stable order."""
    return orjson.dumps(as_json(report), option=orjson.OPT_INDENT_2) + b"\n"
