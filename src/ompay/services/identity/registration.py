"""Registration: a customer with KYC fields, an inactive wallet, and an activation code by SMS."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from advanced_alchemy.exceptions import DuplicateKeyError
from sqlalchemy.exc import IntegrityError

from ompay.domain.actors import Actor
from ompay.domain.errors import ValidationFailed, invalid_field
from ompay.domain.identity import InvalidNationalId, is_adult, national_id_kind
from ompay.domain.references import account_number
from ompay.models import (
    AccountKind,
    AccountStatus,
    KycTier,
    LedgerAccount,
    OtpPurpose,
    ScreeningTrigger,
    Sex,
    User,
    UserRole,
    UserStatus,
)
from ompay.repositories.users import UserRepository
from ompay.services.compliance.guardianship import GuardianshipService
from ompay.services.compliance.persons import open_person
from ompay.services.compliance.screening import ScreeningService, ScreeningSubject
from ompay.services.identity.otp import OtpService
from ompay.services.identity.security import Security
from ompay.services.merchants.onboarding import MerchantProfile, MerchantService
from ompay.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Registration:
    first_name: str
    last_name: str
    phone: str
    national_id: str
    sex: Sex
    birth_date: date
    password: str
    email: str | None = None
    legacy_id_allowed: bool = False
    guardian_phone: str | None = None
    """A minor's verified guardian, who approves the link with their PIN before the wallet opens."""


@dataclass(frozen=True, slots=True)
class Registered:
    user: User
    wallet: LedgerAccount
    otp_expires_in: int
    merchant_code: str | None = None


def _taken(field: str) -> ValidationFailed:
    if field == "phone":
        return invalid_field(
            "phone", "Ce numéro de téléphone est déjà utilisé.", "This phone number is taken."
        )
    return invalid_field("national_id", "Ce numéro d'identité est déjà utilisé.", "This ID number is taken.")


def _adult(registration: Registration) -> bool:
    return is_adult(registration.birth_date, datetime.now(UTC).date())


class RegistrationService:
    def __init__(
        self,
        uow: UnitOfWork,
        security: Security,
        guardianships: GuardianshipService,
        screening: ScreeningService,
    ) -> None:
        self.uow = uow
        self.security = security
        self.guardianships = guardianships
        self.screening = screening
        self.users = UserRepository(session=uow.session)
        self.otp = OtpService(uow, security)

    async def register_customer(
        self, registration: Registration, merchant: MerchantProfile | None = None
    ) -> Registered:
        """Create the customer `pending_verification`, an `inactive` wallet, and text the activation code.

        With a merchant profile (legacy `type_compte=marchand`) the customer also opens a
        merchant, which waits for review like any other.
        """
        self._check_identity(registration)
        taken = await self.users.taken_fields(registration.phone, registration.national_id)
        if taken:
            raise _taken("phone" if "phone" in taken else "national_id")
        password_hash = await self.security.hasher.hash_password(registration.password)
        try:
            person = await open_person(self.uow.session, KycTier.TIER0, registration.national_id)
            user = User(
                person_id=person.id,
                role=UserRole.CUSTOMER,
                status=UserStatus.PENDING_VERIFICATION,
                first_name=registration.first_name.strip(),
                last_name=registration.last_name.strip(),
                phone=registration.phone,
                national_id=registration.national_id,
                sex=registration.sex,
                birth_date=registration.birth_date,
                email=registration.email,
                password_hash=password_hash,
            )
            await self.users.add(user)
        except (DuplicateKeyError, IntegrityError) as exc:  # a concurrent registration won the race
            raise _taken("national_id" if "national_id" in str(exc) else "phone") from exc
        wallet = LedgerAccount(
            kind=AccountKind.CUSTOMER_WALLET,
            status=AccountStatus.INACTIVE,
            owner_id=user.id,
            person_id=person.id,
            number=account_number(),
        )
        self.uow.session.add(wallet)
        await self.screening.screen(ScreeningSubject.of_customer(user), ScreeningTrigger.REGISTRATION)
        if registration.guardian_phone is not None and not _adult(registration):
            await self.guardianships.request(user, registration.guardian_phone)
        actor = Actor("user", str(user.id))
        opened = await MerchantService(self.uow).open(merchant, user.id, actor) if merchant else None
        expires_in = await self.otp.issue(user.phone, OtpPurpose.ACTIVATION)
        self.uow.audit.record(
            "user.registered",
            actor,
            target_type="user",
            target_id=str(user.id),
            changes={"phone": user.phone, "role": user.role.value},
        )
        await self.uow.commit()
        return Registered(user, wallet, expires_in, opened.code if opened else None)

    def _check_identity(self, registration: Registration) -> None:
        try:
            national_id_kind(registration.national_id, allow_legacy=registration.legacy_id_allowed)
        except InvalidNationalId:
            raise invalid_field(
                "national_id",
                "Le numéro d'identité doit comporter 13 chiffres (NIN).",
                "The ID number must be a 13-digit NIN.",
            ) from None
        if registration.birth_date >= datetime.now(UTC).date():
            raise invalid_field(
                "birth_date", "La date de naissance doit être dans le passé.", "Must be in the past."
            )
        if not _adult(registration) and registration.guardian_phone is None:
            raise invalid_field(
                "birth_date",
                "L'ouverture d'un compte est réservée aux personnes majeures (18 ans). "
                "Un compte pour mineur doit être rattaché à un tuteur vérifié (guardian_phone).",
                "Only adults (18+) can open an account alone; a minor's needs a verified guardian "
                "(guardian_phone).",
            )
