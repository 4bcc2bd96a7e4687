"""What every money-moving service works with: the posting engine, fees, PINs, and look-ups."""

from __future__ import annotations

from functools import cached_property
from uuid import UUID

from ompay.domain.errors import DomainError
from ompay.domain.ledger_errors import RecipientNotFound
from ompay.domain.limits import AmountBounds
from ompay.models import AccountKind, LedgerAccount, User, UserRole
from ompay.models.base import new_id
from ompay.repositories.ledger import LedgerAccountRepository
from ompay.repositories.refusals import LimitRefusalLog
from ompay.repositories.users import UserRepository
from ompay.services.compliance.limits import KycLimitPolicy
from ompay.services.compliance.screening import ScreeningService, ScreeningSubject
from ompay.services.identity.pin import PinService
from ompay.services.identity.security import Security
from ompay.services.ledger.fees import FeeService
from ompay.services.ledger.limits import amount_bounds
from ompay.services.ledger.posting import LedgerService
from ompay.services.unit_of_work import UnitOfWork


class MoneyKit:
    """Shared by transfers, cash-outs and merchant payments, so none reaches into another."""

    def __init__(
        self,
        uow: UnitOfWork,
        security: Security,
        bounds: AmountBounds,
        screening: ScreeningService,
        refusals: LimitRefusalLog,
    ) -> None:
        self.uow = uow
        self.security = security
        self.bounds = bounds
        self.screening = screening
        self.users = UserRepository(session=uow.session)
        self.accounts = LedgerAccountRepository(session=uow.session)
        self.ledger = LedgerService(uow, KycLimitPolicy(bounds), refusals)
        self.fees = FeeService(uow)

    @classmethod
    def build(
        cls, uow: UnitOfWork, security: Security, screening: ScreeningService, refusals: LimitRefusalLog
    ) -> MoneyKit:
        """Bounds come from the security kit's settings, so every money service agrees on them."""
        return cls(uow, security, amount_bounds(security.settings.ledger), screening, refusals)

    @cached_property
    def pins(self) -> PinService:
        return PinService(self.uow, self.security)

    async def customer(self, phone: str) -> User:
        """Only customers receive P2P money; any other phone is reported as not found, revealing nothing."""
        user = await self.users.by_phone(phone)
        if user is None or user.role != UserRole.CUSTOMER:
            raise RecipientNotFound()
        return user

    async def account(self, owner_id: UUID, kind: AccountKind) -> LedgerAccount:
        """A missing account is reported as a missing recipient, so look-ups reveal nothing more."""
        account = await self.accounts.owned(owner_id, kind)
        if account is None:
            raise RecipientNotFound()
        return account

    async def check_pin(self, user_id: UUID, pin: str | None) -> None:
        """As `verified`, for a caller that needs no more than the user's id: the legacy routes
        (`pin=None`) then load nothing."""
        if pin is None:
            await self.pins.ensure_unlocked(user_id)
        else:
            await self.verified(user_id, pin)

    async def verified(self, user_id: UUID, pin: str | None) -> User:
        """The user, once their PIN checks out (failures count towards the PIN lockout).

        `pin=None` is the legacy routes' way (their contract carries no PIN): nothing to check,
        but a locked PIN still refuses, so those routes are no way around the lockout.
        """
        user = await self.users.get(user_id)
        if pin is None:
            await self.pins.ensure_unlocked(user.id)
        else:
            await self.pins.verify(user, pin)
        return user

    async def screened_payee(self, subject: ScreeningSubject, refusal: DomainError) -> None:
        """A payee an officer still has to decide on is refused like an inactive one: neither
        payer nor payee learns that screening is behind it (COMPLIANCE.md, tipping-off)."""
        if not await self.screening.may_receive(subject):
            raise refusal

    async def system_account(self, kind: AccountKind) -> UUID:
        """The shard of OMPAY's own `kind` account a new entry should touch."""
        return await self.ledger.system_account(kind, new_id())
