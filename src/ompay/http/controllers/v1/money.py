"""/api/v1 money movements: recipient lookup and P2P transfer (customers), cash-in (agents),
float funding (admins). Every POST honours `Idempotency-Key`."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from config.settings import Settings
from ompay.http.auth import BEARER_SECURITY, requires_role
from ompay.http.idempotency import with_replay_marker
from ompay.models import UserRole
from ompay.schemas.fields import parse_phone
from ompay.schemas.ledger import (
    CashInRequest,
    EntryResource,
    FloatFundingRequest,
    LookupRequest,
    LookupResource,
    TransferRequest,
)
from ompay.schemas.problem import problem_responses
from ompay.services.ledger import Idempotency
from ompay.services.money import MoneyService
from ompay.services.sessions import CurrentUser

MONEY_ERRORS = problem_responses(400, 401, 403, 404, 409, 429)


class TransferController(Controller):
    tags = ["Transfers"]
    security = BEARER_SECURITY
    guards = [requires_role(UserRole.CUSTOMER)]

    @post(
        "/lookups/phone",
        status_code=200,
        summary="Who would receive a transfer to this phone",
        responses=problem_responses(401, 403, 404),
    )
    async def lookup(
        self,
        data: JSONBody[LookupRequest],
        money_service: NamedDependency[MoneyService],
        settings: NamedDependency[Settings],
    ) -> LookupResource:
        preview = await money_service.preview_recipient(parse_phone(data.phone, settings.auth.prefixes))
        return LookupResource.of(preview)

    @post("/transfers", summary="Send money to another customer (PIN required)", responses=MONEY_ERRORS)
    async def transfer(
        self,
        data: JSONBody[TransferRequest],
        request: Request[CurrentUser, Any, Any],
        money_service: NamedDependency[MoneyService],
        settings: NamedDependency[Settings],
        idempotency: NamedDependency[Idempotency | None],
    ) -> Response[EntryResource]:
        recipient = parse_phone(data.recipient_phone, settings.auth.prefixes, field="recipient_phone")
        posted = await money_service.transfer(
            request.user.id, recipient, data.amount, data.pin, idempotency, data.description
        )
        return with_replay_marker(posted, EntryResource.of(posted.entry))


class AgentController(Controller):
    tags = ["Agents"]
    security = BEARER_SECURITY
    guards = [requires_role(UserRole.AGENT)]

    @post(
        "/cash-ins",
        summary="Credit a customer against cash received (debits my float)",
        responses=MONEY_ERRORS,
    )
    async def cash_in(
        self,
        data: JSONBody[CashInRequest],
        request: Request[CurrentUser, Any, Any],
        money_service: NamedDependency[MoneyService],
        settings: NamedDependency[Settings],
        idempotency: NamedDependency[Idempotency | None],
    ) -> Response[EntryResource]:
        customer = parse_phone(data.customer_phone, settings.auth.prefixes, field="customer_phone")
        posted = await money_service.agent_cash_in(request.user.id, customer, data.amount, idempotency)
        return with_replay_marker(posted, EntryResource.of(posted.entry))


class AdminLedgerController(Controller):
    tags = ["Admin"]
    security = BEARER_SECURITY
    guards = [requires_role(UserRole.ADMIN)]

    @post("/float-fundings", summary="Fund an agent's float from e-money issuance", responses=MONEY_ERRORS)
    async def fund_float(
        self,
        data: JSONBody[FloatFundingRequest],
        request: Request[CurrentUser, Any, Any],
        money_service: NamedDependency[MoneyService],
        idempotency: NamedDependency[Idempotency | None],
    ) -> Response[EntryResource]:
        posted = await money_service.fund_float(request.user.id, data.agent_id, data.amount, idempotency)
        return with_replay_marker(posted, EntryResource.of(posted.entry))
