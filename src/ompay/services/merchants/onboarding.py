"""Merchant onboarding and review: a merchant starts `pending_review`, takes payments once approved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.errors import NotFound, invalid_field
from ompay.domain.kyb import Owner
from ompay.domain.merchants import MerchantStateConflict, merchant_code
from ompay.domain.references import account_number
from ompay.models import (
    AccountKind,
    AccountStatus,
    BeneficialOwner,
    KycTier,
    LedgerAccount,
    Merchant,
    MerchantMember,
    MerchantRole,
    MerchantStatus,
)
from ompay.models.base import new_id
from ompay.repositories.ledger import HistoryFilter, LedgerAccountRepository, PostingRepository
from ompay.repositories.merchants import MerchantMemberRepository, MerchantRepository
from ompay.repositories.users import UserRepository
from ompay.services.compliance.persons import open_person
from ompay.services.compliance.topics import KYB_SUBMITTED
from ompay.services.ledger.wallet import Line
from ompay.services.unit_of_work import UnitOfWork

WALLET_STATUS = {
    MerchantStatus.PENDING_REVIEW: AccountStatus.INACTIVE,
    MerchantStatus.ACTIVE: AccountStatus.ACTIVE,
    MerchantStatus.SUSPENDED: AccountStatus.FROZEN,
}


@dataclass(frozen=True, slots=True)
class MerchantProfile:
    business_name: str
    trade_name: str
    category: str
    ninea: str | None = None
    rccm: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    owners: tuple[Owner, ...] = ()
    """Beneficial owners (KYB); a legacy merchant account is its holder's, at 100 %."""


class MerchantService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.merchants = MerchantRepository(session=uow.session)
        self.members = MerchantMemberRepository(session=uow.session)
        self.accounts = LedgerAccountRepository(session=uow.session)
        self.users = UserRepository(session=uow.session)
        self.postings = PostingRepository(session=uow.session)

    async def onboard(self, profile: MerchantProfile, owner_phone: str, actor: Actor) -> Merchant:
        """An admin's onboarding: the owner must already have an OMPAY account."""
        owner = await self.users.by_phone(owner_phone)
        if owner is None:
            raise invalid_field(
                "owner_phone", "Aucun compte OMPAY avec ce numéro.", "No OMPAY account with this number."
            )
        merchant = await self.open(profile, owner.id, actor)
        await self.uow.commit()
        return merchant

    async def open(self, profile: MerchantProfile, owner_id: UUID, actor: Actor) -> Merchant:
        """Add a `pending_review` merchant, its inactive wallet and its owner; the caller commits."""
        business = await open_person(self.uow.session, KycTier.MERCHANT)
        wallet = LedgerAccount(
            id=new_id(),
            kind=AccountKind.MERCHANT_WALLET,
            status=AccountStatus.INACTIVE,
            owner_id=owner_id,
            person_id=business.id,
            number=account_number(),
        )
        merchant = Merchant(
            id=new_id(),
            code=merchant_code(),
            business_name=profile.business_name,
            trade_name=profile.trade_name,
            category=profile.category,
            ninea=profile.ninea,
            rccm=profile.rccm,
            contact_email=profile.contact_email,
            contact_phone=profile.contact_phone,
            status=MerchantStatus.PENDING_REVIEW,
            wallet_id=wallet.id,
        )
        owner = MerchantMember(merchant_id=merchant.id, user_id=owner_id, role=MerchantRole.OWNER)
        self.uow.session.add_all([wallet, merchant, owner])
        # The owners reference the merchant, and the ORM orders rows only along relationships.
        await self.uow.session.flush()
        self.uow.session.add_all(
            BeneficialOwner(
                merchant_id=merchant.id,
                full_name=beneficial.full_name,
                national_id=beneficial.national_id,
                share_percent=beneficial.share_percent,
            )
            for beneficial in profile.owners
        )
        self.uow.outbox.add(KYB_SUBMITTED, {"merchant_id": str(merchant.id)})
        self._audit("merchant.onboarded", merchant, actor, {"code": merchant.code, "owner_id": str(owner_id)})
        return merchant

    async def approve(self, merchant_id: UUID, actor: Actor) -> Merchant:
        """Only an active merchant can be paid: approval is the officer's decision, audited."""
        return await self._move(merchant_id, MerchantStatus.ACTIVE, actor)

    async def suspend(self, merchant_id: UUID, actor: Actor) -> Merchant:
        """Stops new payments at once; money already received stays in the merchant's wallet."""
        return await self._move(merchant_id, MerchantStatus.SUSPENDED, actor)

    async def add_staff(self, merchant_id: UUID, phone: str, actor: Actor) -> MerchantMember:
        """Staff are existing OMPAY users; a member can never pay their own merchant."""
        merchant = await self.get(merchant_id)
        user = await self.users.by_phone(phone)
        if user is None:
            raise invalid_field(
                "phone", "Aucun compte OMPAY avec ce numéro.", "No OMPAY account with this number."
            )
        if await self.merchants.is_member(merchant.id, user.id):
            raise invalid_field("phone", "Cette personne fait déjà partie du marchand.", "Already a member.")
        member = MerchantMember(merchant_id=merchant.id, user_id=user.id, role=MerchantRole.STAFF)
        self.uow.session.add(member)
        self._audit("merchant.staff_added", merchant, actor, {"user_id": str(user.id)})
        await self.uow.commit()
        return member

    async def get(self, merchant_id: UUID) -> Merchant:
        """An unknown merchant is a 404, whichever route asked."""
        merchant = await self.merchants.get_one_or_none(id=merchant_id)
        if merchant is None:
            raise NotFound()
        return merchant

    async def by_code(self, code: str) -> Merchant:
        """The merchant behind the `MCH…` code people quote."""
        merchant = await self.merchants.get_one_or_none(code=code.strip().upper())
        if merchant is None:
            raise invalid_field("merchant", "Aucun marchand avec ce code.", "No merchant with this code.")
        return merchant

    async def owner_id(self, merchant: Merchant) -> UUID:
        """The owner is the actor for console-issued keys; a merchant without one is treated as unknown."""
        owner_id = await self.merchants.owner_id(merchant.id)
        if owner_id is None:
            raise NotFound()
        return owner_id

    async def wallet(self, merchant_id: UUID) -> LedgerAccount:
        """The merchant's balance lives in its own ledger account, separate from the owner's wallet."""
        merchant = await self.get(merchant_id)
        return await self.accounts.get(merchant.wallet_id)

    async def balance_transactions(
        self, merchant_id: UUID, limit: int, starting_after: UUID | None
    ) -> list[Line]:
        """Every movement of the merchant wallet, newest first, plus one more when there are more."""
        merchant = await self.get(merchant_id)
        rows = await self.postings.history(merchant.wallet_id, HistoryFilter(), limit + 1, starting_after)
        return [Line(posting, entry) for posting, entry in rows]

    async def owned_by(self, user_id: UUID) -> Merchant:
        """The merchant this user owns; anyone else is simply not a merchant here."""
        merchant = await self.merchants.of_member(user_id, MerchantRole.OWNER)
        if merchant is None:
            raise NotFound()
        return merchant

    async def _move(self, merchant_id: UUID, status: MerchantStatus, actor: Actor) -> Merchant:
        merchant = await self.get(merchant_id)
        if merchant.status == status:
            raise MerchantStateConflict()
        previous = merchant.status
        merchant.status = status
        now = datetime.now(UTC)
        if status == MerchantStatus.ACTIVE:
            merchant.approved_at = now
        else:
            merchant.suspended_at = now
        await self.accounts.update_status(merchant.wallet_id, WALLET_STATUS[status])
        action = "merchant.approved" if status == MerchantStatus.ACTIVE else "merchant.suspended"
        self._audit(action, merchant, actor, {"from": previous.value, "to": status.value})
        await self.uow.commit()
        return merchant

    def _audit(self, action: str, merchant: Merchant, actor: Actor, changes: dict[str, str]) -> None:
        self.uow.audit.record(
            action, actor, target_type="merchant", target_id=str(merchant.id), changes=changes
        )
