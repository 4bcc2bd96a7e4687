"""Two workers start (each with the scheduler) after days without one: every scheduled export of
every finished period is caught up, and each exists once and was generated once."""

from __future__ import annotations

import asyncio
import time
from contextlib import ExitStack
from datetime import UTC, datetime

import pytest

from ompay.domain.exports import PER_MERCHANT, SCHEDULED, due_periods
from tests import support
from tests.e2e.conftest import OMPAY, running
from tests.exports import world

pytestmark = pytest.mark.e2e

FIRST_ENTRY = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)


def expected_exports(now: datetime) -> set[tuple[str, str, str]]:
    return {
        (kind.value, period.label, world.MERCHANT_ID if kind in PER_MERCHANT else "")
        for kind in SCHEDULED
        for period in due_periods(kind, now, FIRST_ENTRY)
    }


async def test_two_workers_catch_up_every_scheduled_export_exactly_once() -> None:
    await world.seed()
    expected = expected_exports(datetime.now(UTC))
    assert len(expected) >= 9  # three days of journals, cash reports and settlements at least
    with ExitStack() as processes:
        for _ in range(2):
            processes.enter_context(running([OMPAY, "workers", "run"], {}))
        deadline = time.monotonic() + 150
        while await support.query_value("SELECT count(*) FROM exports WHERE status = 'ready'") < len(
            expected
        ):
            assert time.monotonic() < deadline, await support.query_value(
                "SELECT array_agg(type || ' ' || period || ' ' || status) FROM exports"
            )
            await asyncio.sleep(0.5)
    rows = await support.query_value(
        "SELECT array_agg(array[type, period, subject, generations::text]) FROM exports"
    )
    assert {(kind, period, subject) for kind, period, subject, _ in rows} == expected
    assert len(rows) == len(expected)
    assert {generations for *_, generations in rows} == {"1"}
    generated = await support.query_value(
        "SELECT count(*) FROM audit_events WHERE action = 'export.generated'"
    )
    assert generated == len(expected)
