"""The read ceiling: a bare Litestar + asyncpg app answering one single-row balance read.

Run by bench/__main__.py with Granian; no ORM, no auth, no middleware.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from litestar import Litestar, get

pool: asyncpg.Pool | None = None


@asynccontextmanager
async def lifespan(_: Litestar) -> AsyncIterator[None]:
    global pool
    url = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    pool = await asyncpg.create_pool(url, min_size=4, max_size=10)
    yield
    await pool.close()


@get("/balance/{n:int}")
async def balance(n: int) -> dict[str, int]:
    assert pool is not None
    value = await pool.fetchval("SELECT balance FROM ledger_accounts WHERE number = $1", f"BW{n:010d}")
    return {"balance": int(value or 0)}


app = Litestar([balance], lifespan=[lifespan])
