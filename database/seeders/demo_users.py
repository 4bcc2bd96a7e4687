"""Demo people for a local stack: two active customers (with PINs and money) and an agent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from ompay.domain.actors import Actor
from ompay.domain.references import account_number
from ompay.domain.sms_texts import francs
from ompay.models import AccountKind, AccountStatus, KycTier, LedgerAccount, Sex, User, UserRole, UserStatus
from ompay.models.base import new_id
from ompay.repositories.users import UserRepository
from ompay.services.compliance.persons import open_person
from ompay.services.container import Services
from ompay.services.identity.security import Security
from ompay.services.ledger.money import MoneyService
from ompay.services.unit_of_work import UnitOfWork

DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - local demo data only, refused in production


@dataclass(frozen=True)
class DemoCustomer:
    first_name: str
    last_name: str
    phone: str
    national_id: str
    pin: str


CUSTOMERS = (
    DemoCustomer("Awa", "Ndiaye", "+221771000001", "1750101000011", "4821"),
    DemoCustomer("Ibrahima", "Sow", "+221781000002", "1820202000022", "9063"),
)
AGENT_PHONE = "+221701000003"
AGENT_FLOAT = 1_000_000
CUSTOMER_FUNDS = 100_000


async def seed_demo_users(services: Services) -> str:
    if await UserRepository(session=services.uow.session).count():
        return "users: database not empty, left as is"
    for customer in CUSTOMERS:
        await _customer(services.uow, services.platform.security, customer)
    agent = await services.user_service.create_staff(
        UserRole.AGENT, AGENT_PHONE, "Modou", "Faye", DEMO_PASSWORD, Actor.system("seeder")
    )
    await _fund(services.money_service, agent)
    phones = ", ".join(customer.phone for customer in CUSTOMERS)
    return (
        f"users: customers {phones} (PINs {', '.join(c.pin for c in CUSTOMERS)}, "
        f"{francs(CUSTOMER_FUNDS)} each), agent {AGENT_PHONE}; password for all: {DEMO_PASSWORD}"
    )


async def _fund(money: MoneyService, agent: User) -> None:
    """Through the real ledger, as in life: issuance funds the agent's float, the agent cashes in."""
    await money.fund_float(Actor.system("seeder"), agent.id, AGENT_FLOAT, None)
    for customer in CUSTOMERS:
        await money.agent_cash_in(agent.id, customer.phone, CUSTOMER_FUNDS, None)


async def _customer(uow: UnitOfWork, security: Security, customer: DemoCustomer) -> None:
    person = await open_person(uow.session, KycTier.TIER0, customer.national_id)
    user = User(
        id=new_id(),
        person_id=person.id,
        role=UserRole.CUSTOMER,
        status=UserStatus.ACTIVE,
        first_name=customer.first_name,
        last_name=customer.last_name,
        phone=customer.phone,
        national_id=customer.national_id,
        sex=Sex.FEMALE if customer.first_name == "Awa" else Sex.MALE,
        birth_date=date(1990, 1, 1),
        password_hash=await security.hasher.hash_password(DEMO_PASSWORD),
        activated_at=datetime.now(UTC),
    )
    user.pin_hash = security.pins.hash(user.id, customer.pin)
    await UserRepository(session=uow.session).add(user)
    uow.session.add(
        LedgerAccount(
            kind=AccountKind.CUSTOMER_WALLET,
            status=AccountStatus.ACTIVE,
            owner_id=user.id,
            person_id=person.id,
            number=account_number(),
        )
    )
    await uow.commit()
