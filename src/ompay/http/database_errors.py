"""A database that is unreachable or busy for a moment answers 503 with Retry-After, never 500."""

from __future__ import annotations

from config.logging import get_logger
from ompay.domain.errors import ServiceUnavailable
from ompay.lib.db_faults import RETRY_AFTER_SECONDS, database_unavailable, sqlstate

logger = get_logger(__name__)


def unavailable_error(exc: Exception) -> ServiceUnavailable | None:
    """The retryable refusal for a dropped connection, a refused connect or a deadlock victim."""
    if not database_unavailable(exc):
        return None
    # the type and SQLSTATE only: the message may quote the statement's parameters
    logger.warning("database unavailable", error=type(exc).__name__, sqlstate=sqlstate(exc))
    return ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS)
