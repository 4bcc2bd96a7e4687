"""/api/v1/sandbox: test helpers that exist only outside production."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from config.settings import Settings
from ompay.schemas.fields import parse_phone, text_path, text_query
from ompay.schemas.identity import SandboxSmsResource
from ompay.schemas.ledger import EntryResource, SandboxFundRequest
from ompay.schemas.payments import SimulateRequest
from ompay.schemas.problem import problem_responses
from ompay.services.ledger.money import MoneyService
from ompay.services.merchants.payments.merchant import MerchantPaymentService
from ompay.services.merchants.payments.snapshot import PaymentRequestSnapshot
from ompay.services.sandbox import SandboxService


class SandboxController(Controller):
    tags = ["Sandbox"]
    opt = {"exclude_from_auth": True}

    @get("/sms", summary="SMS the sandbox driver 'sent' to a phone, newest first")
    async def sms(
        self,
        sandbox_service: NamedDependency[SandboxService],
        settings: NamedDependency[Settings],
        phone: Annotated[str, text_query(20)],
    ) -> list[SandboxSmsResource]:
        messages = await sandbox_service.sms_for(parse_phone(phone, settings.auth.prefixes))
        return [SandboxSmsResource.of(message) for message in messages]

    @post(
        "/wallets/{phone:str}/fund",
        summary="Credit a sandbox wallet with test e-money",
        responses=problem_responses(404),
    )
    async def fund(
        self,
        phone: Annotated[str, text_path(20)],
        data: JSONBody[SandboxFundRequest],
        money_service: NamedDependency[MoneyService],
        settings: NamedDependency[Settings],
    ) -> EntryResource:
        posted = await money_service.sandbox_fund(parse_phone(phone, settings.auth.prefixes), data.amount)
        return EntryResource.of(posted.entry)

    @post(
        "/payment-requests/{request_id:uuid}/simulate",
        status_code=200,
        summary="Settle a pending request as its customer would (approve, decline) or let it expire",
        responses=problem_responses(404, 409),
    )
    async def simulate(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[SimulateRequest],
        merchant_payment_service: NamedDependency[MerchantPaymentService],
    ) -> PaymentRequestSnapshot:
        settled = await merchant_payment_service.simulate(request_id, data.action)
        return await merchant_payment_service.snapshot_of(settled)
