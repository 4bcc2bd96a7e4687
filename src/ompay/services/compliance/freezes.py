"""Compliance freezes: all of a person's accounts stop at once, and only an officer restarts them.

A frozen account is refused like any inactive one (`ACCOUNT_INACTIVE`, `RECIPIENT_INACTIVE`):
the customer never learns that screening, an alert or a report is behind it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.errors import Conflict
from ompay.domain.exports import ExportType
from ompay.models import AccountFreeze, AccountStatus, FreezeReason
from ompay.repositories.ledger import LedgerAccountRepository
from ompay.repositories.screening import AccountFreezeRepository
from ompay.services.exports.requests import ExportRequestService, event_order
from ompay.services.merchants.onboarding import WALLET_STATUS
from ompay.services.unit_of_work import UnitOfWork


class NotFrozen(Conflict):
    message_fr = "Les comptes de cette personne ne sont pas gelés."
    message_en = "This person's accounts are not frozen."


class FreezeService:
    def __init__(self, uow: UnitOfWork, exports: ExportRequestService) -> None:
        self.uow = uow
        self.exports = exports
        self.freezes = AccountFreezeRepository(session=uow.session)
        self.accounts = LedgerAccountRepository(session=uow.session)

    async def freeze(
        self, person_id: UUID, reason: FreezeReason, actor: Actor, hit_id: UUID | None = None
    ) -> AccountFreeze:
        """Freeze in the caller's transaction, with its freeze report; a person already frozen stays
        under the first freeze."""
        if (in_force := await self.freezes.in_force(person_id)) is not None:
            return in_force
        freeze = AccountFreeze(
            person_id=person_id,
            reason=reason,
            hit_id=hit_id,
            frozen_by=actor.id or "system",
            frozen_at=datetime.now(UTC),  # known here: the freeze report is filed under its day
        )
        self.uow.session.add(freeze)
        await self.uow.session.flush()  # accounts opened in this transaction are frozen too
        accounts = await self.accounts.freeze_person(person_id)
        self.uow.audit.record(
            "compliance.frozen",
            actor,
            target_type="person",
            target_id=str(person_id),
            changes={"reason": reason.value, "accounts": [str(account) for account in accounts]},
        )
        await self.exports.request(event_order(ExportType.FREEZE_REPORT, freeze.id, freeze.frozen_at), actor)
        return freeze

    async def lift(self, person_id: UUID, note: str, actor: Actor) -> AccountFreeze:
        """An officer's decision: each account returns to what it would be without the freeze
        (a merchant wallet follows its merchant's status)."""
        freeze = await self.freezes.in_force(person_id)
        if freeze is None:
            raise NotFrozen()
        freeze.lifted_by, freeze.lift_note = actor.id, note
        freeze.lifted_at = datetime.now(UTC)
        await self.uow.session.flush()  # the accounts' status guard reads the freeze as lifted
        for account_id, merchant_status in await self.accounts.frozen_of_person(person_id):
            status = AccountStatus.ACTIVE if merchant_status is None else WALLET_STATUS[merchant_status]
            await self.accounts.update_status(account_id, status)
        self.uow.audit.record(
            "compliance.unfrozen",
            actor,
            target_type="person",
            target_id=str(person_id),
            changes={"note": note},
        )
        await self.uow.commit()
        return freeze
