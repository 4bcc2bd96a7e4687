"""/api/v1/merchant/*: what a merchant's server calls with its API key."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from config.settings import Settings
from ompay.domain.merchants import Scope
from ompay.http.idempotency import replayable
from ompay.http.merchant_auth import API_KEY_SECURITY, api_key_auth, requires_scope
from ompay.models import PaymentRequestStatus
from ompay.schemas.fields import text_query
from ompay.schemas.merchant_api import BalanceTransaction, MerchantBalanceResource
from ompay.schemas.pages import Cursor, CursorPage, PageLimit, as_is
from ompay.schemas.payments import (
    ConfirmRequest,
    OtpSent,
    PaymentRequestCreate,
    RefundCreate,
)
from ompay.schemas.problem import problem_responses
from ompay.services.ledger.posting import Idempotency
from ompay.services.merchants.api_keys import MerchantCaller
from ompay.services.merchants.onboarding import MerchantService
from ompay.services.merchants.payments.merchant import MerchantPaymentService
from ompay.services.merchants.payments.snapshot import PaymentRequestSnapshot
from ompay.services.merchants.refunds import RefundService, RefundSnapshot

WRITE = [requires_scope(Scope.PAYMENTS_WRITE, active_merchant=True)]
READ = [requires_scope(Scope.PAYMENTS_READ)]
MONEY_ERRORS = problem_responses(400, 401, 403, 404, 409)


class MerchantApiController(Controller):
    """Base of the API-key routes: their own authentication instead of the user bearer token."""

    opt = {"exclude_from_auth": True}
    middleware = [api_key_auth]
    security = API_KEY_SECURITY


class PaymentRequestController(MerchantApiController):
    path = "/payment-requests"
    tags = ["Merchant payment requests"]

    @post("/", summary="Ask a customer to pay", guards=WRITE, responses=MONEY_ERRORS)
    async def create(
        self,
        data: JSONBody[PaymentRequestCreate],
        merchant_caller: NamedDependency[MerchantCaller],
        merchant_payment_service: NamedDependency[MerchantPaymentService],
        settings: NamedDependency[Settings],
        idempotency: NamedDependency[Idempotency | None],
    ) -> Response[PaymentRequestSnapshot]:
        new = data.to_new(settings.auth.prefixes)
        created, replayed = await merchant_payment_service.create(
            merchant_caller.merchant_id, new, idempotency
        )
        return replayable(await merchant_payment_service.snapshot_of(created), replayed)

    @get("/", summary="My payment requests, newest first (cursor pages)", guards=READ)
    async def index(
        self,
        merchant_caller: NamedDependency[MerchantCaller],
        merchant_payment_service: NamedDependency[MerchantPaymentService],
        limit: PageLimit = 20,
        starting_after: Cursor = None,
        status: Annotated[PaymentRequestStatus | None, QueryParameter()] = None,
        client_reference: Annotated[str | None, text_query(100)] = None,
    ) -> CursorPage[PaymentRequestSnapshot]:
        rows = await merchant_payment_service.page(
            merchant_caller.merchant_id, limit, starting_after, status, client_reference
        )
        return CursorPage.of(await merchant_payment_service.snapshots(rows), limit, as_is)

    @get(
        "/{request_id:uuid}",
        summary="One payment request: the source of truth",
        guards=READ,
    )
    async def show(
        self,
        request_id: FromPath[UUID],
        merchant_caller: NamedDependency[MerchantCaller],
        merchant_payment_service: NamedDependency[MerchantPaymentService],
    ) -> PaymentRequestSnapshot:
        found = await merchant_payment_service.of_merchant(merchant_caller.merchant_id, request_id)
        return await merchant_payment_service.snapshot_of(found)

    @post(
        "/{request_id:uuid}/cancel",
        status_code=200,
        summary="Cancel while pending",
        guards=WRITE,
        responses=MONEY_ERRORS,
    )
    async def cancel(
        self,
        request_id: FromPath[UUID],
        merchant_caller: NamedDependency[MerchantCaller],
        merchant_payment_service: NamedDependency[MerchantPaymentService],
    ) -> PaymentRequestSnapshot:
        cancelled = await merchant_payment_service.cancel(merchant_caller.merchant_id, request_id)
        return await merchant_payment_service.snapshot_of(cancelled)

    @post(
        "/{request_id:uuid}/send-otp",
        status_code=200,
        summary="Text the customer a confirmation code",
        guards=WRITE,
        responses=MONEY_ERRORS,
    )
    async def send_otp(
        self,
        request_id: FromPath[UUID],
        merchant_caller: NamedDependency[MerchantCaller],
        merchant_payment_service: NamedDependency[MerchantPaymentService],
    ) -> OtpSent:
        return OtpSent(await merchant_payment_service.send_otp(merchant_caller.merchant_id, request_id))

    @post(
        "/{request_id:uuid}/confirm",
        status_code=200,
        summary="Forward the customer's code: the payment is made",
        guards=WRITE,
        responses=MONEY_ERRORS,
    )
    async def confirm(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[ConfirmRequest],
        merchant_caller: NamedDependency[MerchantCaller],
        merchant_payment_service: NamedDependency[MerchantPaymentService],
        idempotency: NamedDependency[Idempotency | None],
    ) -> PaymentRequestSnapshot:
        paid = await merchant_payment_service.confirm(
            merchant_caller.merchant_id, request_id, data.code, idempotency
        )
        return await merchant_payment_service.snapshot_of(paid)


class RefundController(MerchantApiController):
    path = "/refunds"
    tags = ["Merchant refunds"]

    @post(
        "/",
        summary="Refund all or part of a payment",
        guards=[requires_scope(Scope.REFUNDS_WRITE)],
        responses=MONEY_ERRORS,
    )
    async def create(
        self,
        data: JSONBody[RefundCreate],
        merchant_caller: NamedDependency[MerchantCaller],
        refund_service: NamedDependency[RefundService],
        idempotency: NamedDependency[Idempotency | None],
    ) -> Response[RefundSnapshot]:
        refund, replayed = await refund_service.refund(
            merchant_caller.merchant_id, data.payment_request_id, data.amount, data.reason, idempotency
        )
        return replayable(RefundSnapshot.of(refund), replayed)

    @get("/{refund_id:uuid}", summary="One refund", guards=READ)
    async def show(
        self,
        refund_id: FromPath[UUID],
        merchant_caller: NamedDependency[MerchantCaller],
        refund_service: NamedDependency[RefundService],
    ) -> RefundSnapshot:
        return RefundSnapshot.of(await refund_service.of_merchant(merchant_caller.merchant_id, refund_id))


class BalanceController(MerchantApiController):
    tags = ["Merchant balance"]

    @get(
        "/balance",
        summary="The merchant wallet's balance",
        guards=[requires_scope(Scope.BALANCE_READ)],
        responses=problem_responses(401, 403),
    )
    async def balance(
        self,
        merchant_caller: NamedDependency[MerchantCaller],
        merchant_service: NamedDependency[MerchantService],
    ) -> MerchantBalanceResource:
        return MerchantBalanceResource.of(await merchant_service.wallet(merchant_caller.merchant_id))

    @get(
        "/balance-transactions",
        summary="Every payment, fee and refund on my balance (cursor pages)",
        guards=[requires_scope(Scope.BALANCE_READ)],
        responses=problem_responses(401, 403),
    )
    async def balance_transactions(
        self,
        merchant_caller: NamedDependency[MerchantCaller],
        merchant_service: NamedDependency[MerchantService],
        limit: PageLimit = 20,
        starting_after: Cursor = None,
    ) -> CursorPage[BalanceTransaction]:
        lines = await merchant_service.balance_transactions(
            merchant_caller.merchant_id, limit, starting_after
        )
        return CursorPage.of(lines, limit, BalanceTransaction.of)
