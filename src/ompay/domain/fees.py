"""Fee schedules: percent (basis points) plus fixed, bounded, or flat by amount tier. Integer XOF."""

from __future__ import annotations

from dataclasses import dataclass, field

from ompay.domain.ledger_errors import FeeNotDefined


@dataclass(frozen=True, slots=True)
class Tier:
    up_to: int | None
    fee: int


@dataclass(frozen=True, slots=True)
class FeeRule:
    percent_bps: int = 0
    fixed: int = 0
    minimum: int = 0
    maximum: int | None = None
    tiers: tuple[Tier, ...] = field(default_factory=tuple)

    def fee_for(self, amount: int) -> int:
        """Tiers, when present, decide alone; otherwise percent (half up) + fixed, within bounds.

        Tiers whose last one is bounded leave larger amounts without a fee: those are refused.
        """
        if self.tiers:
            tier = next((t for t in self.tiers if t.up_to is None or amount <= t.up_to), None)
            if tier is None:
                raise FeeNotDefined()
            return tier.fee
        fee = (amount * self.percent_bps + 5_000) // 10_000 + self.fixed
        fee = max(fee, self.minimum)
        return min(fee, self.maximum) if self.maximum is not None else fee


FREE = FeeRule()
