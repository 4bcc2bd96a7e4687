"""structlog for our code and the standard library alike, with masking before any renderer.

JSON in production (one object per line, for the log pipeline), pretty in a terminal.
Every line carries the bound context (`request_id` in the API, `job_id` in workers).
"""

from __future__ import annotations

import logging
import sys
from typing import IO, Any

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from config.settings import LogSettings

QUIET_LOGGERS = {"sqlalchemy.engine": logging.WARNING, "saq": logging.WARNING, "asyncio": logging.WARNING}


def mask_event(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    from ompay.lib.masking import mask_value

    return {key: mask_value(key, value) for key, value in event_dict.items()}


def _renderer(settings: LogSettings, stream: IO[str]) -> Processor:
    as_json = settings.format == "json" or (settings.format == "auto" and not stream.isatty())
    if as_json:
        return structlog.processors.JSONRenderer()
    return structlog.dev.ConsoleRenderer(colors=stream.isatty())


def configure_logging(settings: LogSettings, stream: IO[str] | None = None) -> None:
    """Route structlog and stdlib logging through one masking pipeline to `stream`."""
    stream = stream or sys.stdout
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            mask_event,
            _renderer(settings, stream),
        ],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.level)
    for name, level in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(level, logging.getLevelName(settings.level)))


def get_logger(name: str | None = None, **initial: Any) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name, **initial)
    return logger
