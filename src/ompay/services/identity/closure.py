"""Closing a user's account: an officer's decision, once every account of theirs is empty."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.errors import Conflict, NotFound
from ompay.domain.ledger_errors import BalanceNotZero
from ompay.models import AccountStatus, UserRole, UserStatus
from ompay.repositories.ledger import LedgerAccountRepository
from ompay.repositories.users import UserRepository
from ompay.services.identity.sessions import SessionService
from ompay.services.identity.users import STAFF_ROLES
from ompay.services.unit_of_work import UnitOfWork

# Back-office accounts are not customers' relationships to end; an admin disables them otherwise.
_BACK_OFFICE = STAFF_ROLES - {UserRole.AGENT, UserRole.MERCHANT}


@dataclass(frozen=True, slots=True)
class Closure:
    id: UUID
    status: UserStatus
    closed_at: datetime
    accounts: list[str]
    """The numbers of the ledger accounts closed with the user."""


class AccountClosureService:
    def __init__(self, uow: UnitOfWork, sessions: SessionService) -> None:
        self.uow = uow
        self.sessions = sessions
        self.users = UserRepository(session=uow.session)
        self.accounts = LedgerAccountRepository(session=uow.session)

    async def close(self, user_id: UUID, reason: str, actor: Actor) -> Closure:
        """End the relationship: the user can no longer sign in and no money moves to or from them.

        The accounts are locked in the posting engine's order before their balances are read,
        so a credit cannot land between the check and the closure; closed accounts are refused
        by the engine from then on. The retention clock starts at `closed_at`.
        """
        user = await self.users.get_one_or_none(id=user_id, with_for_update=True)
        if user is None:
            raise NotFound()
        if user.status == UserStatus.CLOSED:
            raise Conflict("Ce compte est déjà clôturé.")
        if user.role in _BACK_OFFICE:
            raise Conflict("Un compte du personnel ne se clôture pas ici.")
        accounts = await self.accounts.of_owner(user.id, lock=True)
        if funded := [account.number for account in accounts if account.balance != 0]:
            raise BalanceNotZero(funded)
        for account in accounts:
            account.status = AccountStatus.CLOSED
        closed_at = datetime.now(UTC)
        user.status, user.closed_at = UserStatus.CLOSED, closed_at
        revoked = await self.sessions.end_all(user.id, "account_closed")
        numbers = [account.number for account in accounts]
        self.uow.audit.record(
            "user.closed",
            actor,
            target_type="user",
            target_id=str(user.id),
            changes={"reason": reason, "accounts": numbers, "sessions_revoked": revoked},
        )
        await self.uow.commit()
        return Closure(user.id, user.status, closed_at, numbers)
