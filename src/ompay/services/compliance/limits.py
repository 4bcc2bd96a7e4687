"""The limit policy every money movement is held to: amount bounds now, KYC tier limits at the lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from ompay.domain.limits import AmountBounds
from ompay.domain.tier_limits import UNCAPPED_KINDS, TierLimitsAt, credit_month
from ompay.models import EntryKind

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock; tests inject another to cross a month boundary."""
    return datetime.now(UTC)


class KycLimitPolicy:
    """Amount bounds, checked before any lock; then each person's tier limits, which the posting
    function checks on the rows it has locked (every account of the persons involved, so their
    summed balances are current) after bumping their credits of the month (so two concurrent
    credits cannot both fit under a cap that only one of them fits).
    """

    def __init__(self, bounds: AmountBounds, clock: Clock = utc_now) -> None:
        self.bounds = bounds
        self.clock = clock

    def check(self, kind: EntryKind, amount: int, capped: bool) -> TierLimitsAt | None:
        """Refuse an amount out of bounds; when the tier limits apply, the moment they apply at."""
        self.bounds.check_amount(kind, amount)
        if kind in UNCAPPED_KINDS or not capped:
            return None
        now = self.clock()
        return TierLimitsAt(credit_month(now), now)
