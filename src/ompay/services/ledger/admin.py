"""Back-office ledger work: reversals and the reconciliation that proves every balance."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from config.logging import get_logger
from ompay.domain.actors import Actor
from ompay.domain.errors import NotFound
from ompay.domain.ledger import Leg
from ompay.domain.ledger_errors import AlreadyReversed
from ompay.domain.limits import AmountBounds
from ompay.lib.metrics import LEDGER_MISMATCHES
from ompay.models import EntryKind, EntryStatus, JournalEntry
from ompay.repositories.ledger import JournalEntryRepository, PostingRepository, ReconciliationRepository
from ompay.repositories.refusals import LimitRefusalLog
from ompay.services.compliance.limits import KycLimitPolicy
from ompay.services.ledger.posting import EntryRequest, Idempotency, LedgerService, Posted
from ompay.services.unit_of_work import UnitOfWork

logger = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Reconciliation:
    accounts: int
    grand_total: int
    mismatches: list[tuple[UUID, str, int, int]]

    @property
    def balanced(self) -> bool:
        return self.grand_total == 0 and not self.mismatches


class LedgerAdminService:
    def __init__(self, uow: UnitOfWork, bounds: AmountBounds, refusals: LimitRefusalLog) -> None:
        self.uow = uow
        self.ledger = LedgerService(uow, KycLimitPolicy(bounds), refusals)
        self.entries = JournalEntryRepository(session=uow.session)
        self.postings = PostingRepository(session=uow.session)
        self.reconciliation = ReconciliationRepository(uow.session)

    async def reverse(
        self, admin_id: UUID, entry_id: UUID, reason: str, idempotency: Idempotency | None
    ) -> Posted:
        """A new entry with every posting negated; the original is marked reversed in the same transaction."""
        original = await self.entries.get_one_or_none(id=entry_id)
        if original is None:
            raise NotFound()
        if original.status != EntryStatus.POSTED or original.kind == EntryKind.REVERSAL:
            raise AlreadyReversed()
        legs = tuple(
            Leg(posting.account_id, -posting.amount) for posting, _ in await self.postings.of_entry(entry_id)
        )

        async def mark_original(_: JournalEntry) -> None:
            if not await self.entries.mark_reversed(entry_id):
                raise AlreadyReversed()

        request = EntryRequest(
            kind=EntryKind.REVERSAL,
            amount=original.amount,
            fee=original.fee,
            legs=legs,
            initiator=Actor("user", str(admin_id)),
            debtor=None,
            idempotency=idempotency,
            description=reason,
            details={"reverses": original.reference},
            reversal_of=entry_id,
        )
        return await self.ledger.post(request, within=mark_original)

    async def reconcile(self) -> Reconciliation:
        """Prove balance == sum(postings) for every account and a zero grand total; alarm otherwise."""
        result = Reconciliation(
            accounts=await self.reconciliation.account_count(),
            grand_total=await self.reconciliation.grand_total(),
            mismatches=await self.reconciliation.mismatched_accounts(),
        )
        if result.balanced:
            await logger.ainfo("ledger reconciled", accounts=result.accounts)
            return result
        LEDGER_MISMATCHES.inc(len(result.mismatches) or 1)
        await logger.aerror(
            "ledger reconciliation failed",
            grand_total=result.grand_total,
            mismatched_accounts=[number for _, number, _, _ in result.mismatches][:50],
        )
        self.uow.audit.record(
            "ledger.reconciliation_failed",
            Actor.system("reconciliation"),
            changes={
                "grand_total": result.grand_total,
                "mismatches": [
                    {"account": number, "balance": balance, "postings_total": total}
                    for _, number, balance, total in result.mismatches[:100]
                ],
            },
        )
        await self.uow.commit()
        return result
