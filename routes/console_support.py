"""What every `ompay` command shares: the services of one unit of work, and a clean CLI error."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

import click

from config.database import get_alchemy_config
from config.queue import get_saq_config
from config.settings import get_settings
from ompay.domain.calendar import DAKAR
from ompay.domain.errors import ValidationFailed
from ompay.lib.queue import JobDispatcher
from ompay.services.container import Services, short_lived_services

T = TypeVar("T")

effective_from_option = click.option(
    "--effective-from",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"]),
    default=None,
    callback=lambda ctx, param, value: (
        value.replace(tzinfo=DAKAR) if value and value.tzinfo is None else value
    ),
    help="ISO date or instant (a date is midnight in Africa/Dakar); now when omitted.",
)
"""For versioned policy data: when the new version takes effect."""


def _in_dakar(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=DAKAR) if moment is not None and moment.tzinfo is None else moment


def run_with_services(work: Callable[[Services], Awaitable[T]]) -> T:
    """Run `work` with the services of a fresh unit of work, then release pool and queue connections."""

    async def main() -> T:
        settings = get_settings()
        alchemy = get_alchemy_config()
        queues = get_saq_config().get_queues().queues
        engine = alchemy.get_engine()
        try:
            async with (
                alchemy.get_session() as session,
                short_lived_services(session, settings, JobDispatcher(queues), engine) as services,
            ):
                return await work(services)
        finally:
            await engine.dispose()
            for queue in queues.values():
                await queue.disconnect()

    return asyncio.run(main())


def echo_result(work: Callable[[Services], Awaitable[str]]) -> None:
    """Run `work` and print its result; a refusal becomes a clean CLI error naming the fields."""
    try:
        click.echo(run_with_services(work))
    except ValidationFailed as exc:
        raise click.ClickException("; ".join(f"{e.field}: {e.message}" for e in exc.errors)) from exc
