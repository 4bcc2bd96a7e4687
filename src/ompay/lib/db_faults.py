"""Database errors that say "not now" rather than "no": the same request may succeed on retry.

Either the connection is gone (killed, server restarting, refusing new connections, pool
exhausted) or Postgres picked this transaction as a deadlock or serialization victim. The
posting engine retries the latter itself; whatever is left becomes a 503 with Retry-After.
"""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

RETRY_AFTER_SECONDS = 2
"""What a 503 for a busy or unreachable database tells the client to wait before retrying."""

DEADLOCK = "40P01"
SERIALIZATION_FAILURE = "40001"
_RETRYABLE_CONFLICTS = {DEADLOCK: "deadlock", SERIALIZATION_FAILURE: "serialization_failure"}
# connection exception, insufficient resources (too many connections), server shutting down or starting
_UNAVAILABLE_PREFIXES = ("08", "53", "57P")


def _driver_error(exc: BaseException) -> BaseException:
    """The asyncpg exception under SQLAlchemy's wrapper and its DB-API adapter, or `exc` itself."""
    origin: BaseException = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    cause = origin.__cause__
    return cause if isinstance(cause, asyncpg.PostgresError | asyncpg.InterfaceError) else origin


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a driver error, raw (asyncpg) or wrapped by SQLAlchemy."""
    code = getattr(_driver_error(exc), "sqlstate", None)
    return code if isinstance(code, str) else None


def retryable_conflict(exc: BaseException) -> str | None:
    """`deadlock` or `serialization_failure` when Postgres aborted us to let another transaction win."""
    code = sqlstate(exc)
    return conflict_reason(code) if code else None


def conflict_reason(code: str) -> str | None:
    """`deadlock` or `serialization_failure` for those SQLSTATEs, else None."""
    return _RETRYABLE_CONFLICTS.get(code)


def connection_lost(exc: BaseException) -> bool:
    """asyncpg's signs of a dead connection, including the race where the server's goodbye
    arrives while a statement is being sent ("another operation is in progress")."""
    error = _driver_error(exc)
    if isinstance(error, asyncpg.exceptions.InternalClientError | asyncpg.PostgresConnectionError):
        return True
    return isinstance(error, asyncpg.InterfaceError) and "connection is closed" in str(error)


def database_unavailable(exc: BaseException) -> bool:
    """The database could not serve this request now; a retry (with the same Idempotency-Key) is safe.

    Wrappers (advanced-alchemy's `RepositoryError`) are looked through to the error they carry.
    """
    return any(_unavailable(error) for error in _chain(exc))


def _unavailable(exc: BaseException) -> bool:
    if isinstance(exc, PoolTimeout | ConnectionError) or connection_lost(exc):
        return True
    if isinstance(exc, DBAPIError) and (exc.connection_invalidated or exc.statement is None):
        return True  # the connection died under the statement, or none could be opened
    code = sqlstate(exc)
    return code is not None and (code.startswith(_UNAVAILABLE_PREFIXES) or code in _RETRYABLE_CONFLICTS)


def _chain(exc: BaseException, depth: int = 4) -> list[BaseException]:
    chain = [exc]
    while len(chain) < depth and (cause := chain[-1].__cause__) is not None:
        chain.append(cause)
    return chain


def invalidate_lost_connections(context: ExceptionContext) -> None:
    """SQLAlchemy `handle_error` hook: a connection asyncpg reports broken is dropped, not pooled."""
    if connection_lost(context.original_exception):
        context.is_disconnect = True
