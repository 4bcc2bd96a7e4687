"""Merchant onboarding (admins) and API-key management (the merchant's owner, signed in)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from config.settings import Settings
from ompay.domain.merchants import parse_networks
from ompay.http.auth import BEARER_SECURITY
from ompay.http.back_office import ADMINS, COMPLIANCE_DECISIONS
from ompay.schemas.fields import parse_phone
from ompay.schemas.kyc import KybReviewResource
from ompay.schemas.merchants import (
    ApiKeyCreateRequest,
    ApiKeyList,
    ApiKeyResource,
    ApiKeyRotateRequest,
    IssuedKeyResource,
    MemberResource,
    MerchantCreateRequest,
    MerchantResource,
    StaffRequest,
)
from ompay.schemas.problem import problem_responses
from ompay.services.compliance.kyb import KybService
from ompay.services.identity.sessions import CurrentUser
from ompay.services.merchants.api_keys import ApiKeyService
from ompay.services.merchants.onboarding import MerchantService


class AdminMerchantController(Controller):
    path = "/merchants"
    tags = ["Admin"]
    security = BEARER_SECURITY

    @post(
        "/",
        summary="Onboard a merchant (starts pending review)",
        guards=[ADMINS],
        responses=problem_responses(422),
    )
    async def onboard(
        self,
        data: JSONBody[MerchantCreateRequest],
        current_user: NamedDependency[CurrentUser],
        merchant_service: NamedDependency[MerchantService],
        settings: NamedDependency[Settings],
    ) -> MerchantResource:
        prefixes = settings.auth.prefixes
        owner = parse_phone(data.owner_phone, prefixes, field="owner_phone")
        contact = (
            parse_phone(data.contact_phone, prefixes, field="contact_phone") if data.contact_phone else None
        )
        merchant = await merchant_service.onboard(data.profile(contact), owner, current_user.actor)
        return MerchantResource.of(merchant)

    @get(
        "/{merchant_id:uuid}/kyb",
        summary="KYB: the merchant's beneficial owners and each automatic check",
        responses=problem_responses(404),
    )
    async def kyb(
        self, merchant_id: FromPath[UUID], kyb_service: NamedDependency[KybService]
    ) -> KybReviewResource:
        return KybReviewResource.of(await kyb_service.review(merchant_id))

    @get("/{merchant_id:uuid}", summary="One merchant", responses=problem_responses(404))
    async def show(
        self, merchant_id: FromPath[UUID], merchant_service: NamedDependency[MerchantService]
    ) -> MerchantResource:
        return MerchantResource.of(await merchant_service.get(merchant_id))

    @post(
        "/{merchant_id:uuid}/approve",
        status_code=200,
        summary="Approve: the merchant may take payments",
        guards=[COMPLIANCE_DECISIONS],
        responses=problem_responses(404, 409),
    )
    async def approve(
        self,
        merchant_id: FromPath[UUID],
        current_user: NamedDependency[CurrentUser],
        merchant_service: NamedDependency[MerchantService],
    ) -> MerchantResource:
        return MerchantResource.of(await merchant_service.approve(merchant_id, current_user.actor))

    @post(
        "/{merchant_id:uuid}/suspend",
        status_code=200,
        summary="Suspend: no new payments, wallet frozen",
        guards=[COMPLIANCE_DECISIONS],
        responses=problem_responses(404, 409),
    )
    async def suspend(
        self,
        merchant_id: FromPath[UUID],
        current_user: NamedDependency[CurrentUser],
        merchant_service: NamedDependency[MerchantService],
    ) -> MerchantResource:
        return MerchantResource.of(await merchant_service.suspend(merchant_id, current_user.actor))

    @post(
        "/{merchant_id:uuid}/staff",
        summary="Add a staff member",
        guards=[ADMINS],
        responses=problem_responses(404, 422),
    )
    async def add_staff(
        self,
        merchant_id: FromPath[UUID],
        data: JSONBody[StaffRequest],
        current_user: NamedDependency[CurrentUser],
        merchant_service: NamedDependency[MerchantService],
        settings: NamedDependency[Settings],
    ) -> MemberResource:
        phone = parse_phone(data.phone, settings.auth.prefixes)
        return MemberResource.of(await merchant_service.add_staff(merchant_id, phone, current_user.actor))


class ApiKeyController(Controller):
    path = "/api-keys"
    tags = ["Merchant API keys"]
    security = BEARER_SECURITY

    @post("/", summary="Create an API key (the secret is shown once)", responses=problem_responses(404, 422))
    async def create(
        self,
        data: JSONBody[ApiKeyCreateRequest],
        current_user: NamedDependency[CurrentUser],
        merchant_service: NamedDependency[MerchantService],
        api_key_service: NamedDependency[ApiKeyService],
    ) -> IssuedKeyResource:
        merchant = await merchant_service.owned_by(current_user.id)
        networks = parse_networks(data.allowed_ips)
        issued = await api_key_service.issue(merchant, data.name, data.scopes, networks, current_user.id)
        return IssuedKeyResource.of(issued)

    @get("/", summary="My merchant's live API keys (never their secrets)", responses=problem_responses(404))
    async def index(
        self,
        current_user: NamedDependency[CurrentUser],
        merchant_service: NamedDependency[MerchantService],
        api_key_service: NamedDependency[ApiKeyService],
    ) -> ApiKeyList:
        merchant = await merchant_service.owned_by(current_user.id)
        return ApiKeyList([ApiKeyResource.of(key) for key in await api_key_service.of_merchant(merchant)])

    @post(
        "/{key_id:uuid}/rotate",
        summary="Replace a key's secret; the old one may live on for a grace period",
        responses=problem_responses(404, 422),
    )
    async def rotate(
        self,
        key_id: FromPath[UUID],
        data: JSONBody[ApiKeyRotateRequest],
        current_user: NamedDependency[CurrentUser],
        merchant_service: NamedDependency[MerchantService],
        api_key_service: NamedDependency[ApiKeyService],
    ) -> IssuedKeyResource:
        merchant = await merchant_service.owned_by(current_user.id)
        grace = timedelta(seconds=data.grace_seconds)
        return IssuedKeyResource.of(await api_key_service.rotate(merchant, key_id, grace, current_user.id))

    @delete("/{key_id:uuid}", summary="Revoke a key at once", responses=problem_responses(404))
    async def revoke(
        self,
        key_id: FromPath[UUID],
        current_user: NamedDependency[CurrentUser],
        merchant_service: NamedDependency[MerchantService],
        api_key_service: NamedDependency[ApiKeyService],
    ) -> None:
        merchant = await merchant_service.owned_by(current_user.id)
        await api_key_service.revoke(merchant, key_id, current_user.id)
