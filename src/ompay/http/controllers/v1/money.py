"""/api/v1 money movements: recipient lookup and P2P transfer (customers), cash-in (agents),
float funding (admins). Every POST honours `Idempotency-Key`."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from config.settings import Settings
from ompay.http.auth import BEARER_SECURITY, requires_role
from ompay.http.back_office import ADMINS
from ompay.http.idempotency import with_replay_marker
from ompay.http.middleware.velocity import MONEY_GATES
from ompay.models import EntryKind, UserRole
from ompay.schemas.fields import parse_phone
from ompay.schemas.ledger import (
    CashInRequest,
    CashOutApproveRequest,
    CashOutCreateRequest,
    CashOutResource,
    EntryResource,
    FloatFundingRequest,
    LookupRequest,
    LookupResource,
    QuoteRequest,
    QuoteResource,
    ReversalRequest,
    TransferRequest,
)
from ompay.schemas.problem import problem_responses
from ompay.services.identity.sessions import CurrentUser
from ompay.services.ledger.admin import LedgerAdminService
from ompay.services.ledger.cash_out import CashOutService
from ompay.services.ledger.money import MoneyService
from ompay.services.ledger.posting import Idempotency
from ompay.services.ledger.quotes import QuoteService

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

    @post(
        "/transfers",
        summary="Send money to another customer (PIN required)",
        responses=MONEY_ERRORS,
        middleware=MONEY_GATES,
    )
    async def transfer(
        self,
        data: JSONBody[TransferRequest],
        current_user: NamedDependency[CurrentUser],
        money_service: NamedDependency[MoneyService],
        settings: NamedDependency[Settings],
        idempotency: NamedDependency[Idempotency | None],
    ) -> Response[EntryResource]:
        recipient = parse_phone(data.recipient_phone, settings.auth.prefixes, field="recipient_phone")
        posted = await money_service.transfer(
            current_user.id, recipient, data.amount, data.pin, idempotency, data.description, data.quote_id
        )
        return with_replay_marker(posted, EntryResource.of(posted.entry))

    @post(
        "/quotes", summary="Price a movement; a transfer may then reference the quote", responses=MONEY_ERRORS
    )
    async def quote(
        self,
        data: JSONBody[QuoteRequest],
        current_user: NamedDependency[CurrentUser],
        quote_service: NamedDependency[QuoteService],
    ) -> QuoteResource:
        return QuoteResource.of(await quote_service.quote(current_user.id, EntryKind(data.kind), data.amount))


class CashOutController(Controller):
    """The customer's side of an agent cash-out."""

    tags = ["Cash-outs"]
    security = BEARER_SECURITY
    guards = [requires_role(UserRole.CUSTOMER)]

    @get("/", summary="Cash-outs waiting for my approval", responses=problem_responses(401))
    async def pending(
        self, current_user: NamedDependency[CurrentUser], cash_out_service: NamedDependency[CashOutService]
    ) -> list[CashOutResource]:
        return [CashOutResource.of(item) for item in await cash_out_service.pending(current_user.id)]

    @post(
        "/{request_id:uuid}/approve",
        summary="Approve a cash-out with my PIN",
        responses=MONEY_ERRORS,
        middleware=MONEY_GATES,
    )
    async def approve(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[CashOutApproveRequest],
        current_user: NamedDependency[CurrentUser],
        cash_out_service: NamedDependency[CashOutService],
        idempotency: NamedDependency[Idempotency | None],
    ) -> Response[EntryResource]:
        posted = await cash_out_service.approve(current_user.id, request_id, data.pin, idempotency)
        return with_replay_marker(posted, EntryResource.of(posted.entry))

    @post("/{request_id:uuid}/decline", status_code=204, summary="Refuse a cash-out", responses=MONEY_ERRORS)
    async def decline(
        self,
        request_id: FromPath[UUID],
        current_user: NamedDependency[CurrentUser],
        cash_out_service: NamedDependency[CashOutService],
    ) -> None:
        await cash_out_service.decline(current_user.id, request_id)


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
        current_user: NamedDependency[CurrentUser],
        money_service: NamedDependency[MoneyService],
        settings: NamedDependency[Settings],
        idempotency: NamedDependency[Idempotency | None],
    ) -> Response[EntryResource]:
        customer = parse_phone(data.customer_phone, settings.auth.prefixes, field="customer_phone")
        posted = await money_service.agent_cash_in(current_user.id, customer, data.amount, idempotency)
        return with_replay_marker(posted, EntryResource.of(posted.entry))

    @post(
        "/cash-outs",
        summary="Ask a customer to approve a cash-out (credits my float once approved)",
        responses=MONEY_ERRORS,
    )
    async def cash_out(
        self,
        data: JSONBody[CashOutCreateRequest],
        current_user: NamedDependency[CurrentUser],
        cash_out_service: NamedDependency[CashOutService],
        settings: NamedDependency[Settings],
    ) -> CashOutResource:
        customer = parse_phone(data.customer_phone, settings.auth.prefixes, field="customer_phone")
        return CashOutResource.of(await cash_out_service.request(current_user.id, customer, data.amount))


class AdminLedgerController(Controller):
    tags = ["Admin"]
    security = BEARER_SECURITY
    guards = [ADMINS]

    @post("/float-fundings", summary="Fund an agent's float from e-money issuance", responses=MONEY_ERRORS)
    async def fund_float(
        self,
        data: JSONBody[FloatFundingRequest],
        current_user: NamedDependency[CurrentUser],
        money_service: NamedDependency[MoneyService],
        idempotency: NamedDependency[Idempotency | None],
    ) -> Response[EntryResource]:
        posted = await money_service.fund_float(current_user.actor, data.agent_id, data.amount, idempotency)
        return with_replay_marker(posted, EntryResource.of(posted.entry))

    @post(
        "/entries/{entry_id:uuid}/reversal",
        summary="Reverse an entry with a new, opposite entry",
        responses=MONEY_ERRORS,
    )
    async def reverse(
        self,
        entry_id: FromPath[UUID],
        data: JSONBody[ReversalRequest],
        current_user: NamedDependency[CurrentUser],
        ledger_admin_service: NamedDependency[LedgerAdminService],
        idempotency: NamedDependency[Idempotency | None],
    ) -> Response[EntryResource]:
        posted = await ledger_admin_service.reverse(current_user.id, entry_id, data.reason, idempotency)
        return with_replay_marker(posted, EntryResource.of(posted.entry))
