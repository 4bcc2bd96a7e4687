"""KYB: the automatic checks on a new merchant, and its automatic approval outside production."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.kyb import Owner, check_owners, check_registration_number
from ompay.domain.kyc import CheckResult, overall
from ompay.models import (
    BeneficialOwner,
    KybCheck,
    KycCheckOutcome,
    Merchant,
    MerchantStatus,
    ScreeningTrigger,
)
from ompay.repositories.kyc import KybRepository
from ompay.repositories.ledger import LedgerAccountRepository
from ompay.services.compliance.screening import ScreeningService, ScreeningSubject
from ompay.services.merchants.onboarding import MerchantService
from ompay.services.unit_of_work import UnitOfWork

AUTOMATIC_APPROVAL = Actor.system("kyb-auto-approval")
APPROVABLE = (KycCheckOutcome.PASSED, KycCheckOutcome.NOT_SCREENED)


@dataclass(frozen=True, slots=True)
class KybReview:
    owners: Sequence[BeneficialOwner]
    checks: Sequence[KybCheck]


class KybService:
    def __init__(
        self, uow: UnitOfWork, screening: ScreeningService, merchants: MerchantService, auto_approve: bool
    ) -> None:
        self.uow = uow
        self.screening = screening
        self.merchants = merchants
        self.auto_approve = auto_approve
        self.kyb = KybRepository(session=uow.session)
        self.accounts = LedgerAccountRepository(session=uow.session)

    async def run(self, merchant_id: UUID) -> None:
        """Check the merchant and its owners, store each result; outside production, approve it
        when nothing failed or needs review (like a payment provider's test mode), audited as
        automatic. In production only an officer approves. A redelivered job does nothing."""
        merchant = await self.merchants.get(merchant_id)
        if merchant.status != MerchantStatus.PENDING_REVIEW or await self.kyb.checks_of(merchant.id):
            return
        results = await self._results(merchant)
        self.uow.session.add_all(
            KybCheck(merchant_id=merchant.id, check=r.check, outcome=r.outcome, facts=r.facts)
            for r in results
        )
        verdict = overall(results)
        self.uow.audit.record(
            "kyb.checks_completed",
            Actor.system("kyb-checks"),
            target_type="merchant",
            target_id=str(merchant.id),
            changes={"outcome": verdict.value},
        )
        if self.auto_approve and verdict in APPROVABLE:
            await self.merchants.approve(merchant.id, AUTOMATIC_APPROVAL)
        else:
            await self.uow.commit()

    async def review(self, merchant_id: UUID) -> KybReview:
        """What an officer weighs before approving: the owners, and each check's outcome and facts."""
        merchant = await self.merchants.get(merchant_id)
        return KybReview(await self.kyb.owners_of(merchant.id), await self.kyb.checks_of(merchant.id))

    async def _results(self, merchant: Merchant) -> list[CheckResult]:
        rows = await self.kyb.owners_of(merchant.id)
        owners = [Owner(row.full_name, row.national_id, row.share_percent) for row in rows]
        results = [
            check_registration_number("ninea", merchant.ninea, owners),
            check_registration_number("rccm", merchant.rccm, owners),
            check_owners(owners),
        ]
        return results + await self._screenings(merchant, rows)

    async def _screenings(self, merchant: Merchant, owners: Sequence[BeneficialOwner]) -> list[CheckResult]:
        """The business and each owner; an owner's hit concerns the merchant's accounts."""
        person_id = (await self.accounts.get(merchant.wallet_id)).person_id
        assert person_id is not None  # every merchant wallet is opened with its business person
        business = ScreeningSubject.of_merchant(merchant, person_id)
        results = [await self.screening.check(business, ScreeningTrigger.KYB_CHECKS)]
        for owner in owners:
            subject = ScreeningSubject.of_owner(owner, person_id)
            screened = await self.screening.check(subject, ScreeningTrigger.KYB_CHECKS)
            facts = {**screened.facts, "owner": owner.full_name}
            results.append(CheckResult("owner_screening", screened.outcome, facts))
        return results
