"""A demo merchant for a local stack: approved, with an API key printed once for the integrator."""

from __future__ import annotations

from config.settings import get_settings
from database.seeders.demo_users import DEMO_PASSWORD
from ompay.domain.actors import Actor
from ompay.domain.merchants import Scope
from ompay.lib.console import api_key_box
from ompay.lib.redis import create_redis
from ompay.models import UserRole
from ompay.repositories.merchants import MerchantRepository
from ompay.services.api_keys import ApiKeyService
from ompay.services.merchants import MerchantProfile, MerchantService
from ompay.services.security import Security
from ompay.services.unit_of_work import UnitOfWork
from ompay.services.users import UserService

OWNER_PHONE = "+221761000004"
PROFILE = MerchantProfile("Boutique Ndiaye SARL", "Boutique Ndiaye", "grocery", ninea="0123456789")


async def seed_demo_merchant(uow: UnitOfWork) -> str:
    if await MerchantRepository(session=uow.session).count():
        return "merchants: database not empty, left as is (new API key: ompay create-api-key --merchant MCH…)"
    settings = get_settings()
    redis = create_redis(settings.redis)
    seeder = Actor.system("seeder")
    try:
        security = Security.build(settings, redis)
        owner = await UserService(uow, security).create_staff(
            UserRole.MERCHANT, OWNER_PHONE, "Fatou", "Ndiaye", DEMO_PASSWORD, seeder
        )
        merchants = MerchantService(uow)
        merchant = merchants.open(PROFILE, owner.id, seeder)
        await uow.commit()
        merchant = await merchants.approve(merchant.id, seeder)
        key = await ApiKeyService(uow, security).issue(merchant, "demo", list(Scope), None, owner.id)
    finally:
        await redis.aclose()
    return (
        f"merchants: {PROFILE.trade_name} ({merchant.code}), owner {OWNER_PHONE}\n"
        f"{api_key_box(merchant.trade_name, merchant.code, key.secret)}"
    )
