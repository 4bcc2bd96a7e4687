"""Demo data for local use: seeded by `make run` on an empty database, never in production."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from database.seeders.demo_merchant import seed_demo_merchant
from database.seeders.demo_users import seed_demo_users
from ompay.services.container import Services

Seeder = Callable[[Services], Awaitable[str]]

SEEDERS: list[Seeder] = [seed_demo_users, seed_demo_merchant]


async def seed_demo_data(services: Services) -> str:
    """Run every seeder in order; each reports what it created (or that it had nothing to do)."""
    return "\n".join([await seeder(services) for seeder in SEEDERS])
