"""A demo merchant for a local stack: approved, with an API key printed once for the integrator."""

from __future__ import annotations

from database.seeders.demo_users import DEMO_PASSWORD
from ompay.domain.actors import Actor
from ompay.domain.merchants import Scope
from ompay.lib.console import api_key_box
from ompay.models import UserRole
from ompay.repositories.merchants import MerchantRepository
from ompay.services.container import Services
from ompay.services.merchants.onboarding import MerchantProfile

OWNER_PHONE = "+221761000004"
PROFILE = MerchantProfile("Boutique Ndiaye SARL", "Boutique Ndiaye", "grocery", ninea="0123456789")


async def seed_demo_merchant(services: Services) -> str:
    if await MerchantRepository(session=services.uow.session).count():
        return "merchants: database not empty, left as is (new API key: ompay create-api-key --merchant MCH…)"
    seeder = Actor.system("seeder")
    owner = await services.user_service.create_staff(
        UserRole.MERCHANT, OWNER_PHONE, "Fatou", "Ndiaye", DEMO_PASSWORD, seeder
    )
    merchants = services.merchant_service
    merchant = await merchants.open(PROFILE, owner.id, seeder)
    await services.uow.commit()
    merchant = await merchants.approve(merchant.id, seeder)
    key = await services.api_key_service.issue(merchant, "demo", list(Scope), None, owner.id)
    return (
        f"merchants: {PROFILE.trade_name} ({merchant.code}), owner {OWNER_PHONE}\n"
        f"{api_key_box(merchant.trade_name, merchant.code, key.secret)}"
    )
