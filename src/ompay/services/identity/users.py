"""Reading profiles and creating staff accounts (no public route creates staff)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from ompay.domain.actors import Actor
from ompay.domain.errors import invalid_field
from ompay.domain.references import account_number
from ompay.models import AccountKind, AccountStatus, KycTier, LedgerAccount, User, UserRole, UserStatus
from ompay.repositories.ledger import LedgerAccountRepository
from ompay.repositories.persons import PersonRepository
from ompay.repositories.users import UserRepository
from ompay.services.compliance.persons import open_person
from ompay.services.identity.security import Security
from ompay.services.unit_of_work import UnitOfWork

STAFF_ROLES = frozenset(
    {UserRole.AGENT, UserRole.MERCHANT, UserRole.COMPLIANCE_OFFICER, UserRole.SUPPORT, UserRole.ADMIN}
)
# The account a profile shows: an agent's float, anyone else's own wallet (a merchant owner
# also owns the merchant's wallet, which is not theirs to show here).
_PROFILE_ACCOUNT = {UserRole.AGENT: AccountKind.AGENT_FLOAT}


@dataclass(frozen=True, slots=True)
class Profile:
    user: User
    wallet: LedgerAccount | None
    tier: KycTier


class UserService:
    def __init__(self, uow: UnitOfWork, security: Security) -> None:
        self.uow = uow
        self.security = security
        self.users = UserRepository(session=uow.session)
        self.accounts = LedgerAccountRepository(session=uow.session)

    async def profile(self, user_id: UUID) -> Profile:
        """The user with the wallet their role owns (a merchant owner's customer wallet, an agent's float)."""
        user = await self.users.get(user_id)
        wallet = await self.accounts.owned(
            user_id, _PROFILE_ACCOUNT.get(user.role, AccountKind.CUSTOMER_WALLET)
        )
        person = await PersonRepository(session=self.uow.session).get(user.person_id)
        return Profile(user=user, wallet=wallet, tier=person.tier)

    async def create_staff(
        self, role: UserRole, phone: str, first_name: str, last_name: str, password: str, created_by: Actor
    ) -> User:
        """Back-office accounts are created by a console or admin, never self-registered, and start active."""
        if role not in STAFF_ROLES:
            raise invalid_field("role", f"Rôle réservé au personnel attendu, pas {role.value}.")
        if await self.users.by_phone(phone):
            raise invalid_field(
                "phone", "Ce numéro de téléphone est déjà utilisé.", "This phone number is taken."
            )
        if len(password) < 8:
            raise invalid_field("password", "Au moins 8 caractères.", "At least 8 characters.")
        person = await open_person(
            self.uow.session, KycTier.AGENT if role == UserRole.AGENT else KycTier.TIER0
        )
        user = User(
            person_id=person.id,
            role=role,
            status=UserStatus.ACTIVE,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            password_hash=await self.security.hasher.hash_password(password),
            activated_at=datetime.now(UTC),
        )
        await self.users.add(user)
        if role == UserRole.AGENT:
            self.uow.session.add(
                LedgerAccount(
                    kind=AccountKind.AGENT_FLOAT,
                    status=AccountStatus.ACTIVE,
                    owner_id=user.id,
                    person_id=person.id,
                    number=account_number(),
                )
            )
        self.uow.audit.record(
            "user.created",
            created_by,
            target_type="user",
            target_id=str(user.id),
            changes={"role": role.value, "phone": phone},
        )
        await self.uow.commit()
        return user
