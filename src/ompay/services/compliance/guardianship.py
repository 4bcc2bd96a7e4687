"""Minors' wallets: opened only linked to a verified (`tier1`) guardian, who approves with their PIN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.errors import Conflict, NotFound, invalid_field
from ompay.models import (
    AccountKind,
    AccountStatus,
    Guardianship,
    GuardianshipStatus,
    KycTier,
    User,
    UserRole,
    UserStatus,
)
from ompay.repositories.kyc import GuardianshipRepository
from ompay.repositories.ledger import LedgerAccountRepository
from ompay.repositories.persons import PersonRepository
from ompay.repositories.users import UserRepository
from ompay.services.identity.pin import PinService
from ompay.services.notifications import NotificationService
from ompay.services.unit_of_work import UnitOfWork

REQUEST_SMS = (
    "OMPAY : {name} demande à ouvrir un compte mineur rattaché au vôtre. "
    "Validez dans l'application avec votre code PIN."
)


@dataclass(frozen=True, slots=True)
class GuardianLink:
    guardianship: Guardianship
    minor_name: str


class GuardianshipService:
    def __init__(self, uow: UnitOfWork, pins: PinService, notifications: NotificationService) -> None:
        self.uow = uow
        self.pins = pins
        self.notifications = notifications
        self.links = GuardianshipRepository(session=uow.session)
        self.users = UserRepository(session=uow.session)
        self.persons = PersonRepository(session=uow.session)
        self.accounts = LedgerAccountRepository(session=uow.session)

    async def request(self, minor: User, guardian_phone: str) -> Guardianship:
        """Link a new minor to their guardian, pending the guardian's PIN; the caller commits.

        The guardian must be an active customer whose identity is verified (`tier1`).
        """
        guardian = await self.users.by_phone(guardian_phone)
        if guardian is None or not await self._may_guard(guardian):
            raise invalid_field(
                "guardian_phone",
                "Le tuteur doit être un client OMPAY actif dont l'identité est vérifiée.",
                "The guardian must be an active OMPAY customer with a verified identity.",
            )
        link = Guardianship(
            minor_user_id=minor.id, guardian_user_id=guardian.id, status=GuardianshipStatus.PENDING
        )
        self.uow.session.add(link)
        self.notifications.queue_sms(guardian.phone, REQUEST_SMS.format(name=minor.full_name))
        return link

    async def of_guardian(self, guardian_id: UUID) -> list[GuardianLink]:
        """The minors linked, or asking to be linked, to this guardian."""
        rows = await self.links.of_guardian(guardian_id)
        return [GuardianLink(link, f"{first} {last}") for link, first, last in rows]

    async def approve(self, guardian_id: UUID, link_id: UUID, pin: str) -> GuardianLink:
        """The guardian's PIN approves the link (wrong PINs count towards the lockout); the minor's
        wallet opens once the minor has also verified their phone."""
        link = await self.links.get_one_or_none(id=link_id, guardian_user_id=guardian_id)
        if link is None:
            raise NotFound()
        if link.status != GuardianshipStatus.PENDING:
            raise Conflict()
        guardian = await self.users.get(guardian_id)
        await self.pins.verify(guardian, pin)
        if not await self._may_guard(guardian):
            raise Conflict("Votre identité doit être vérifiée pour être tuteur.")
        link.status, link.approved_at = GuardianshipStatus.APPROVED, datetime.now(UTC)
        minor = await self.users.get(link.minor_user_id)
        if minor.status == UserStatus.ACTIVE:
            await self.accounts.set_owner_wallet_status(
                minor.id, AccountKind.CUSTOMER_WALLET, AccountStatus.ACTIVE
            )
        self.uow.audit.record(
            "kyc.guardianship_approved",
            Actor("user", str(guardian_id)),
            target_type="user",
            target_id=str(minor.id),
        )
        await self.uow.commit()
        return GuardianLink(link, minor.full_name)

    async def _may_guard(self, user: User) -> bool:
        person = await self.persons.get(user.person_id)
        return (
            user.role == UserRole.CUSTOMER
            and user.status == UserStatus.ACTIVE
            and person.tier == KycTier.TIER1
        )
