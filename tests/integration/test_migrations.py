"""The migrations are under test: they build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncSession

from ompay.lib.migrations import expected_heads
from ompay.models import metadata


async def test_models_and_migrations_agree(session: AsyncSession) -> None:
    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    connection = await session.connection()
    assert await connection.run_sync(diff) == []


async def test_database_is_at_the_head_the_code_expects(session: AsyncSession) -> None:
    versions = set((await session.scalars(text("SELECT version_num FROM alembic_version"))).all())
    assert versions == expected_heads()
    assert len(versions) == 1
