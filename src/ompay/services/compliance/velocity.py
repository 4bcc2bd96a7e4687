"""TM-04 counted inline: each customer's debits per hour and per day, and francs debited per
hour, in Redis, so that a burst is seen while it happens rather than at its next evaluation.

Windows are clock hours and Dakar days (UTC). Counting fails open (a Redis outage must not stop
payments: the evaluation job still judges every entry). The counters are the rule's figures, so
the rule's own verdict decides.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ompay.domain.monitoring import Figures, RuleVersion
from ompay.domain.monitoring_rules import RULES

HOUR, DAY = 3600, 86_400
VELOCITY_JOB = "record_velocity_alert"


class Velocity:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def figures(self, user_id: UUID) -> Figures | None:
        """The counts so far; None when Redis cannot say."""
        try:
            values = await self.redis.mget(_keys(user_id))
        except (RedisError, OSError):
            return None
        return _figures(values)

    async def count(self, user_id: UUID, amount: int) -> Figures | None:
        """Count one debit of `amount`; the counts after it, None when Redis cannot say."""
        hourly, daily, debited = _keys(user_id)
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for key, by, ttl in ((hourly, 1, HOUR), (daily, 1, DAY), (debited, amount, HOUR)):
                    pipe.incrby(key, by)
                    pipe.expire(key, ttl)
                results = await pipe.execute()
        except (RedisError, OSError):
            return None
        return _figures([results[0], results[2], results[4]])


def too_fast(version: RuleVersion, figures: Figures) -> bool:
    """The rule version's own verdict on the counts: an alert is due."""
    return RULES["TM-04"].fires(figures, version.params)


def blocks(version: RuleVersion, figures: Figures) -> bool:
    """Only a version whose `inline_block` says so refuses a payment; otherwise it alerts."""
    return bool(version.params.get("inline_block")) and too_fast(version, figures)


def _keys(user_id: UUID) -> list[str]:
    now = int(time.time())
    return [
        f"velocity:{user_id}:h:{now // HOUR}",
        f"velocity:{user_id}:d:{now // DAY}",
        f"velocity:{user_id}:a:{now // HOUR}",
    ]


def _figures(values: Sequence[bytes | str | int | None]) -> Figures:
    """From MGET (bytes or None) or INCRBY (int) replies."""
    hourly, daily, debited = (int(value or 0) for value in values)
    return {"debits_1h": hourly, "debits_24h": daily, "debited_1h": debited}
