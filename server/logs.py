"""Log lines for people (text) or for a log collector (`LIANXI_LOG_FORMAT=json`: one JSON object per line)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import orjson

# Attributes every LogRecord has; anything else was passed with `extra=` and goes into the JSON object.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", …extra fields, "exception"} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line (UTC time with offset)."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def lean_log_records() -> None:
    """Records without the caller's frame, thread, process or task names: no format of ours prints them.

    The knobs of the logging HOWTO's "Optimization" section. uvicorn's access line is written for every
    request, and finding its caller and naming its thread cost ≈ a fifth of that line's CPU."""
    logging._srcfile = None  # type: ignore[attr-defined]  # documented: skips findCaller()
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    if hasattr(logging, "logAsyncioTasks"):  # Python 3.12+
        logging.logAsyncioTasks = False


def logging_config(log_format: str, level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for our loggers and uvicorn's (passed to uvicorn as `log_config`)."""
    formatter: dict[str, Any] = (
        {"()": JsonFormatter} if log_format == "json" else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}
    loggers = {name: {"handlers": ["default"], "level": level, "propagate": False} for name in ("uvicorn", "uvicorn.error", "uvicorn.access")}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "loggers": loggers,
        "root": {"handlers": ["default"], "level": level},
    }
