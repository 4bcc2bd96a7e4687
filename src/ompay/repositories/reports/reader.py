"""Streams a report query's rows in batches over one read-only, repeatable-read transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

BATCH_ROWS = 5000


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """One file of an export: its name, and the SQL whose column names are its header."""

    name: str
    sql: str
    params: Mapping[str, Any] = field(default_factory=dict)


class ReportReader:
    """Every query of one export sees the same snapshot, so its files agree with each other."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    @classmethod
    @asynccontextmanager
    async def snapshot(cls, engine: AsyncEngine) -> AsyncIterator[ReportReader]:
        async with engine.connect() as connection:
            connection = await connection.execution_options(isolation_level="REPEATABLE READ")
            async with connection.begin():
                await connection.execute(text("SET TRANSACTION READ ONLY"))
                await connection.execute(text("SET LOCAL work_mem = '64MB'"))
                yield cls(connection)

    async def stream(self, query: ReportQuery) -> AsyncIterator[tuple[Sequence[str], list[Sequence[Any]]]]:
        """(columns, rows) batches from a server-side cursor: memory holds one batch at a time."""
        result = await self.connection.stream(
            text(query.sql).execution_options(yield_per=BATCH_ROWS), dict(query.params)
        )
        columns = tuple(result.keys())
        empty = True
        async for batch in result.partitions(BATCH_ROWS):
            empty = False
            yield columns, [tuple(row) for row in batch]
        if empty:
            yield columns, []
