"""Which Alembic revisions the code expects, to tell whether the database is at head."""

from __future__ import annotations

from functools import cache

from alembic.script import ScriptDirectory

from config.database import MIGRATIONS_DIR


@cache
def expected_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())
